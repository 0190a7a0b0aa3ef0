import { unknownCheckingProxy } from '@pulumi/policy';
import { isUnknown, read, readArray, readKeys, readStringMap, unknown } from './props.ts';
import { unknownDuringPreview } from './resource-case.ts';

// Props as a policy gets them from the engine: behind the proxy that throws on unknown values.
const props = unknownCheckingProxy({
  settings: { ipConfiguration: { ipv4Enabled: false, privateNetwork: unknownDuringPreview } },
  metadata: {
    labels: { 'app.kubernetes.io/name': 'edge', 'app.kubernetes.io/part-of': unknownDuringPreview },
  },
  list: ['a', unknownDuringPreview],
  later: unknownDuringPreview,
});

describe('read', () => {
  it('reads dotted paths and key lists, missing values as undefined', () => {
    expect(read(props, 'settings.ipConfiguration.ipv4Enabled')).toBe(false);
    expect(read(props, ['metadata', 'labels', 'app.kubernetes.io/name'])).toBe('edge');
    expect(read(props, 'settings.nothing.here')).toBeUndefined();
    expect(read(props, 'settings.ipConfiguration.ipv4Enabled.deeper')).toBeUndefined();
    expect(read(undefined, 'a')).toBeUndefined();
  });

  it('returns unknown for a value unknown during preview, or one beneath it', () => {
    expect(read(props, 'settings.ipConfiguration.privateNetwork')).toBe(unknown);
    expect(read(props, 'later')).toBe(unknown);
    expect(read(props, 'later.below.it')).toBe(unknown);
    // Without the proxy, the sentinel itself.
    expect(read({ a: unknownDuringPreview }, 'a')).toBe(unknown);
    expect(isUnknown(unknownDuringPreview)).toBe(true);
    expect(isUnknown('a-string')).toBe(false);
  });
});

describe('readArray, readKeys, readStringMap', () => {
  it('keep unknown elements as unknown and unknown wholes as unknown', () => {
    expect(readArray(props, 'list')).toEqual(['a', unknown]);
    expect(readArray(props, 'later')).toBe(unknown);
    expect(readArray(props, 'settings')).toBeUndefined();
    expect(readKeys(props, 'metadata.labels')).toEqual([
      'app.kubernetes.io/name',
      'app.kubernetes.io/part-of',
    ]);
    expect(readKeys(props, 'list')).toBeUndefined();
    expect(readStringMap(props, 'metadata.labels')).toEqual({
      'app.kubernetes.io/name': 'edge',
      'app.kubernetes.io/part-of': unknown,
    });
    expect(readStringMap(props, 'later')).toBe(unknown);
  });
});
