import { hasInput } from './taggable.ts';

describe('hasInput (from the installed provider SDKs)', () => {
  it('knows which AWS types take tags', () => {
    expect(hasInput('@pulumi/aws', 'aws:rds/instance:Instance', 'tags')).toBe(true);
    expect(hasInput('@pulumi/aws', 'aws:ec2/vpc:Vpc', 'tags')).toBe(true);
    expect(
      hasInput('@pulumi/aws', 'aws:iam/rolePolicyAttachment:RolePolicyAttachment', 'tags'),
    ).toBe(false);
  });

  it('knows which GCP types take labels, whatever the case of the token', () => {
    expect(hasInput('@pulumi/gcp', 'gcp:redis/instance:Instance', 'labels')).toBe(true);
    expect(hasInput('@pulumi/gcp', 'gcp:compute/network:Network', 'labels')).toBe(false);
    // Token iAMMember, file iammember.js.
    expect(hasInput('@pulumi/gcp', 'gcp:serviceaccount/iAMMember:IAMMember', 'labels')).toBe(false);
    expect(hasInput('@pulumi/gcp', 'gcp:serviceaccount/iAMMember:IAMMember', 'member')).toBe(true);
  });

  it('answers undefined for a type or package it cannot find', () => {
    expect(hasInput('@pulumi/aws', 'aws:nosuch/thing:Thing', 'tags')).toBeUndefined();
    expect(hasInput('@pulumi/not-installed', 'x:y/z:Z', 'tags')).toBeUndefined();
  });
});
