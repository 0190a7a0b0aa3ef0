import { diskIndexMb, edgeCacheProblem, edgeCacheRoomMb, memoryMegabytes } from './edge-memory.ts';

describe('edge memory', () => {
  it('reads Kubernetes memory quantities in MB', () => {
    expect(memoryMegabytes('512Mi')).toBe(512);
    expect(memoryMegabytes('2Gi')).toBe(2048);
    expect(memoryMegabytes('2GB')).toBeUndefined();
  });

  it('leaves three quarters to the cache, less 128 MB per thread after the first', () => {
    expect(edgeCacheRoomMb(512, 1, 0)).toBe(384);
    expect(edgeCacheRoomMb(1024, 4, 0)).toBe(384);
    expect(edgeCacheRoomMb(2048, 4, 0)).toBe(1152);
  });

  it("less the disk tier's index: 440 bytes per object, at most 200,000 objects of 1.3 KB or more", () => {
    expect(diskIndexMb(0)).toBe(0);
    // 64 MB of 1.3 KB files: 51,622 objects.
    expect(diskIndexMb(64)).toBe(22);
    // 1 GB would be 826,000 such files: the index stops at 200,000.
    expect(diskIndexMb(1024)).toBe(84);
    expect(diskIndexMb(100_000)).toBe(84);
    expect(edgeCacheRoomMb(512, 1, 1024)).toBe(300);
  });

  it('says what fits, or how much memory the threads need', () => {
    // 500m requested: a limit of 1 core, one thread; the stacks' dev default, with a 1 GB disk.
    expect(edgeCacheProblem(256, { cpu: '500m', memory: '512Mi' })).toBeUndefined();
    expect(edgeCacheProblem(301, { cpu: '500m', memory: '512Mi' })).toBe(
      "must leave room in the edge's 512Mi of memory and its disk tier's index: at most 300",
    );
    expect(edgeCacheProblem(385, { cpu: '500m', memory: '512Mi' }, 0)).toBe(
      "must leave room in the edge's 512Mi of memory: at most 384",
    );
    // 4 requested: a limit of 8 cores, eight threads.
    expect(edgeCacheProblem(16, { cpu: '4', memory: '512Mi' }, 0)).toBe(
      "must leave room in the edge's 512Mi of memory, which is too little for its 8 traffic threads: give runtime.edgeResources.memory at least 1216Mi",
    );
    expect(edgeCacheProblem(16, { cpu: '4', memory: '1216Mi' }, 0)).toBeUndefined();
    expect(edgeCacheProblem(16, { cpu: '4', memory: '1216Mi' })).toBe(
      "must leave room in the edge's 1216Mi of memory, which is too little for its 8 traffic threads: give runtime.edgeResources.memory at least 1328Mi",
    );
  });
});
