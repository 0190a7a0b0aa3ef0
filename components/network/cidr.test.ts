import { subnetCidr } from './cidr.ts';

describe('subnetCidr', () => {
  it('splits a /16 into quarters and sixteenths', () => {
    expect(subnetCidr('10.0.0.0/16', 2, 0)).toBe('10.0.0.0/18');
    expect(subnetCidr('10.0.0.0/16', 2, 2)).toBe('10.0.128.0/18');
    expect(subnetCidr('10.0.0.0/16', 4, 12)).toBe('10.0.192.0/20');
    expect(subnetCidr('10.0.0.0/16', 4, 14)).toBe('10.0.224.0/20');
  });

  it('works inside a /20 that does not start at an octet boundary', () => {
    expect(subnetCidr('172.16.16.0/20', 2, 3)).toBe('172.16.28.0/22');
  });

  it('refuses an index outside the range', () => {
    expect(() => subnetCidr('10.0.0.0/16', 2, 4)).toThrow('holds 4 /18 subnets, not 5');
  });
});
