import { edgeCacheProblem, edgeCacheRoomMb, memoryMegabytes } from './edge-memory.ts';

describe('edge memory', () => {
  it('reads Kubernetes memory quantities in MB', () => {
    expect(memoryMegabytes('512Mi')).toBe(512);
    expect(memoryMegabytes('2Gi')).toBe(2048);
    expect(memoryMegabytes('2GB')).toBeUndefined();
  });

  it('leaves three quarters to the cache, less 128 MB per thread after the first', () => {
    expect(edgeCacheRoomMb(512, 1)).toBe(384);
    expect(edgeCacheRoomMb(1024, 4)).toBe(384);
    expect(edgeCacheRoomMb(2048, 4)).toBe(1152);
  });

  it('says what fits, or how much memory the threads need', () => {
    // 500m requested: a limit of 1 core, one thread.
    expect(edgeCacheProblem(256, { cpu: '500m', memory: '512Mi' })).toBeUndefined();
    expect(edgeCacheProblem(385, { cpu: '500m', memory: '512Mi' })).toBe(
      "must leave room in the edge's 512Mi of memory: at most 384",
    );
    // 4 requested: a limit of 8 cores, eight threads.
    expect(edgeCacheProblem(16, { cpu: '4', memory: '512Mi' })).toBe(
      "must leave room in the edge's 512Mi of memory, which is too little for its 8 traffic threads: give runtime.edgeResources.memory at least 1216Mi",
    );
    expect(edgeCacheProblem(16, { cpu: '4', memory: '1216Mi' })).toBeUndefined();
  });
});
