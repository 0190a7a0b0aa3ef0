import type { ResourceValidationArgs } from '@pulumi/policy';
import { environmentOf, providerDefaultLabels, providerObject } from './environment.ts';
import { unknownDuringPreview } from './resource-case.ts';

type Args = Parameters<typeof environmentOf>[0];
function args(
  props: Record<string, unknown>,
  extra: {
    config?: object;
    provider?: Record<string, unknown>;
    stackTags?: Record<string, string>;
  } = {},
): Args {
  return {
    props,
    getConfig: <T extends object>() => (extra.config ?? {}) as T,
    stackTags: new Map(Object.entries(extra.stackTags ?? {})),
    ...(extra.provider
      ? {
          provider: {
            type: 'pulumi:providers:aws',
            name: 'p',
            urn: 'urn:p',
            props: extra.provider,
          } satisfies ResourceValidationArgs['provider'],
        }
      : {}),
  };
}

describe('environmentOf', () => {
  it("reads the resource's own tag or label, per cloud", () => {
    expect(environmentOf(args({ tags: { 'edgeplane:environment': 'prod' } }))).toBe('prod');
    expect(environmentOf(args({ labels: { environment: 'staging' } }))).toBe('staging');
    expect(environmentOf(args({ resourceLabels: { environment: 'dev' } }))).toBe('dev');
    expect(environmentOf(args({ settings: { userLabels: { environment: 'prod' } } }))).toBe('prod');
    expect(environmentOf(args({ nodeConfig: { resourceLabels: { environment: 'dev' } } }))).toBe(
      'dev',
    );
    expect(
      environmentOf(args({ metadata: { labels: { 'edgeplane.dev/environment': 'staging' } } })),
    ).toBe('staging');
  });

  it('prefers policy config, then own labels, then the provider, then stack tags', () => {
    const own = { tags: { 'edgeplane:environment': 'staging' } };
    const provider = { defaultTags: JSON.stringify({ tags: { 'edgeplane:environment': 'dev' } }) };
    expect(environmentOf(args(own, { config: { environment: 'prod' }, provider }))).toBe('prod');
    expect(environmentOf(args(own, { provider }))).toBe('staging');
    expect(environmentOf(args({}, { provider, stackTags: { environment: 'prod' } }))).toBe('dev');
    expect(
      environmentOf(args({}, { provider: { defaultLabels: '{"environment":"staging"}' } })),
    ).toBe('staging');
    expect(environmentOf(args({}, { stackTags: { 'edgeplane:environment': 'prod' } }))).toBe(
      'prod',
    );
  });

  it('is undefined when nothing says, or what it says is no environment', () => {
    expect(environmentOf(args({}))).toBeUndefined();
    expect(environmentOf(args({ tags: { 'edgeplane:environment': 'qa' } }))).toBeUndefined();
    expect(
      environmentOf(
        args({ tags: unknownDuringPreview }, { provider: { defaultTags: unknownDuringPreview } }),
      ),
    ).toBeUndefined();
  });
});

describe('providerObject and providerDefaultLabels', () => {
  it('decode JSON-encoded provider config and tolerate objects, junk and unknowns', () => {
    expect(providerObject('{"tags":{"a":"b"}}')).toEqual({ tags: { a: 'b' } });
    expect(providerObject({ tags: {} })).toEqual({ tags: {} });
    expect(providerObject('not json')).toBeUndefined();
    expect(providerObject(unknownDuringPreview)).toBeUndefined();
    expect(
      providerDefaultLabels({
        type: 't',
        name: 'n',
        urn: 'u',
        props: { defaultTags: '{"tags":{"a":"b"}}' },
      }),
    ).toEqual({ a: 'b' });
    expect(providerDefaultLabels(undefined)).toEqual({});
  });
});
