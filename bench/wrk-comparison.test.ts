import type { WrkResult } from './wrk.ts';
import { runWarnings } from './wrk-comparison.ts';

const result = (requests: number, errors: Partial<WrkResult['errors']> = {}): WrkResult => ({
  requests,
  durationSeconds: 10,
  requestsPerSecond: requests / 10,
  bytes: requests * 1200,
  p50Ms: 1,
  p99Ms: 5,
  maxMs: 20,
  errors: { connect: 0, read: 0, write: 0, status: 0, timeout: 0, ...errors },
});

const hit = { label: 'edge round 1', expectedFetchesPerRequest: 0 as const, connections: 64 };
const miss = { ...hit, expectedFetchesPerRequest: 1 as const };

describe('runWarnings', () => {
  it('has nothing to say about clean hits and misses', () => {
    expect(
      runWarnings({ ...hit, result: result(100_000), originFetches: 0, originConnections: 0 }),
    ).toEqual([]);
    // Requests in flight when wrk stopped reached the origin without being counted by wrk.
    expect(
      runWarnings({ ...miss, result: result(20_000), originFetches: 20_064, originConnections: 2 }),
    ).toEqual([]);
  });

  it('flags hits that went to the origin', () => {
    expect(
      runWarnings({ ...hit, result: result(100_000), originFetches: 5_000, originConnections: 0 }),
    ).toEqual([
      'edge round 1: the origin served 5000 requests for 100000 client requests (expected about 0)',
    ]);
  });

  it('flags misses that never reached the origin (a cache that served them from elsewhere)', () => {
    expect(
      runWarnings({ ...miss, result: result(20_000), originFetches: 10_000, originConnections: 0 }),
    ).toEqual([
      'edge round 1: the origin served 10000 requests for 20000 client requests (expected about 20000)',
    ]);
  });

  it('flags wrk errors and upstream connections that were not kept alive', () => {
    expect(
      runWarnings({
        ...miss,
        result: result(20_000, { status: 12, timeout: 3 }),
        originFetches: 20_000,
        originConnections: 19_000,
      }),
    ).toEqual([
      'edge round 1: 15 wrk errors {"connect":0,"read":0,"write":0,"status":12,"timeout":3}',
      'edge round 1: opened 19000 new origin connections for 20000 origin requests (upstream keep-alive not reused?)',
    ]);
  });
});
