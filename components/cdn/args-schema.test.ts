// Bad Cdn arguments fail before anything is registered, naming each field with a valid example.
import { ResourceRecorder } from '../../test/harness/pulumi/index.ts';
import { fakeRuntime, renderCdn } from './testing.ts';

describe('Cdn arguments', () => {
  it('name every bad field with an example, and nothing is registered', async () => {
    const recorder = new ResourceRecorder();
    let error: Error | undefined;
    try {
      await renderCdn(
        'home',
        {
          domain: 'CDN_example',
          runtime: {
            ...fakeRuntime,
            edgeReplicas: 0,
            edgeMaxReplicas: 0,
            cacheDiskMb: -1,
            edgeResources: { cpu: 'lots', memory: '2GB' },
          },
          dataStoreCidrs: ['10.0.0.0/33', 'db.internal'],
        },
        recorder,
      );
    } catch (caught) {
      error = caught as Error;
    }
    expect(error?.name).toBe('CdnArgsError');
    const lines = error?.message.split('\n') ?? [];
    expect(lines[0]).toBe('Cdn cdn: invalid arguments; nothing was created:');
    expect(lines.slice(1)).toEqual(
      expect.arrayContaining([
        '  domain: must be a lower-case DNS name such as cdn.example.com',
        '  runtime.edgeReplicas: must be at least 1, e.g. 3',
        '  runtime.edgeMaxReplicas: must be at least 1, e.g. 12',
        '  runtime.cacheDiskMb: must be at least 0, e.g. 1024',
        '  runtime.edgeResources.cpu: must be a Kubernetes CPU quantity such as 500m or 2',
        '  runtime.edgeResources.memory: must be a Kubernetes memory quantity such as 512Mi or 2Gi',
        '  dataStoreCidrs.0: must be a CIDR such as 10.20.0.0/16',
        '  dataStoreCidrs.1: must be a CIDR such as 10.20.0.0/16',
      ]),
    );
    expect(recorder.resources.filter((r) => r.type.startsWith('edgeplane:cdn'))).toEqual([]);
    expect(recorder.resources.filter((r) => r.type.startsWith('kubernetes:'))).toEqual([]);
  });

  it("reject a cache that leaves no room in the edge's memory for its traffic threads", async () => {
    // A CPU request of 2 is a limit of 4: four traffic threads, and the default 1 GB disk tier:
    // 768 - 3 x 128 - 84 MB for the cache.
    const edgeResources = { cpu: '2', memory: '1Gi' };
    await expect(
      renderCdn('home', { runtime: { ...fakeRuntime, cacheMemoryMb: 512, edgeResources } }),
    ).rejects.toThrow(
      "runtime.cacheMemoryMb: must leave room in the edge's 1Gi of memory, its 4 traffic threads and its disk tier's index: at most 300",
    );
    await expect(
      renderCdn('home', { runtime: { ...fakeRuntime, cacheMemoryMb: 300, edgeResources } }),
    ).resolves.toBeDefined();
    // Without a disk tier, its index leaves room too.
    await expect(
      renderCdn('home', {
        runtime: { ...fakeRuntime, cacheMemoryMb: 384, cacheDiskMb: 0, edgeResources },
      }),
    ).resolves.toBeDefined();
    // A bad CPU quantity is named by its own check, not by this one.
    await expect(
      renderCdn('home', {
        runtime: { ...fakeRuntime, edgeResources: { cpu: 'lots', memory: '1Gi' } },
      }),
    ).rejects.toThrow('runtime.edgeResources.cpu: must be a Kubernetes CPU quantity');
  });

  it('reject an autoscaler ceiling under the floor and a home origin that is not a URL', async () => {
    await expect(
      renderCdn('home', { runtime: { ...fakeRuntime, edgeReplicas: 4, edgeMaxReplicas: 2 } }),
    ).rejects.toThrow('runtime.edgeMaxReplicas: must be at least runtime.edgeReplicas (4)');
    await expect(
      renderCdn('edge-only', {
        region: { role: 'edge-only', homeOrigin: { url: 'api.cdn.example.com', edgeToken: 'x' } },
      }),
    ).rejects.toThrow('region.homeOrigin.url: must be an http or https URL');
  });
});
