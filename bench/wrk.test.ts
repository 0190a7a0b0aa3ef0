import { parseWrkOutput, WrkOutputError, wrkArgs, wrkCommandLine } from './wrk.ts';

// What wrk 4.1 printed for a real 1 s run with the distinct-urls script.
const realOutput = `Running 1s test @ http://127.0.0.1:40879/
  2 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   278.60us  712.03us  11.08ms   93.45%
    Req/Sec    16.99k     7.02k   25.00k    60.00%
  33807 requests in 1.00s, 3.97MB read
Requests/sec:  33765.43
Transfer/sec:      3.96MB
EDGEPLANE_WRK {"requests":33807,"duration_us":1001231,"bytes":4158261,"p50_us":94,"p99_us":3548,"max_us":11083,"errors":{"connect":0,"read":0,"write":0,"status":0,"timeout":0}}
`;

describe('parseWrkOutput', () => {
  it('reads the report line of a real run', () => {
    const result = parseWrkOutput(realOutput);
    expect(result.requests).toBe(33807);
    expect(result.durationSeconds).toBeCloseTo(1.001231, 6);
    // The same figure as wrk's own Requests/sec line.
    expect(result.requestsPerSecond).toBeCloseTo(33765.43, 1);
    expect(result.p50Ms).toBeCloseTo(0.094, 6);
    expect(result.p99Ms).toBeCloseTo(3.548, 6);
    expect(result.maxMs).toBeCloseTo(11.083, 6);
    expect(result.bytes).toBe(4158261);
    expect(result.errors).toEqual({ connect: 0, read: 0, write: 0, status: 0, timeout: 0 });
  });

  it('reads socket and status errors', () => {
    const output = realOutput.replace(
      '"errors":{"connect":0,"read":0,"write":0,"status":0,"timeout":0}',
      '"errors":{"connect":3,"read":1,"write":0,"status":250,"timeout":7}',
    );
    expect(parseWrkOutput(output).errors).toEqual({
      connect: 3,
      read: 1,
      write: 0,
      status: 250,
      timeout: 7,
    });
  });

  it.each([
    [
      'no report line',
      realOutput.split('EDGEPLANE_WRK')[0] ?? '',
      /printed no EDGEPLANE_WRK report/,
    ],
    ['a report that is not JSON', 'EDGEPLANE_WRK {"requests":1,', /not JSON/],
    ['a missing field', 'EDGEPLANE_WRK {"requests":1}', /no valid duration_us/],
    [
      'a negative count',
      realOutput.replace('"requests":33807', '"requests":-1'),
      /no valid requests/,
    ],
    ['missing errors', realOutput.replace(/,"errors":\{[^}]*\}/, ''), /no valid errors.connect/],
    [
      'a zero duration',
      realOutput.replace('"duration_us":1001231', '"duration_us":0'),
      /zero duration/,
    ],
  ])('rejects %s, quoting what wrk printed', (_, output, message) => {
    expect(() => parseWrkOutput(output)).toThrow(WrkOutputError);
    expect(() => parseWrkOutput(output)).toThrow(message);
  });
});

describe('wrkArgs', () => {
  const run = {
    url: 'http://127.0.0.1:8080/obj/1k',
    durationSeconds: 10,
    connections: 64,
    threads: 2,
    scriptPath: '/tmp/x/wrk-fixed-url.lua',
    headers: { Host: 'bench.edgeplane.test' },
  };

  it('puts the script arguments after the URL and --', () => {
    expect(wrkArgs({ ...run, scriptArgs: ['/miss/abc/'] })).toEqual([
      '-t2',
      '-c64',
      '-d10s',
      '--timeout',
      '5s',
      '-s',
      '/tmp/x/wrk-fixed-url.lua',
      '-H',
      'Host: bench.edgeplane.test',
      'http://127.0.0.1:8080/obj/1k',
      '--',
      '/miss/abc/',
    ]);
  });

  it('has no -- without script arguments, and quotes what a shell would split', () => {
    expect(wrkArgs(run)).not.toContain('--');
    expect(wrkCommandLine(run)).toBe(
      "/usr/bin/wrk -t2 -c64 -d10s --timeout 5s -s /tmp/x/wrk-fixed-url.lua -H 'Host: bench.edgeplane.test' http://127.0.0.1:8080/obj/1k",
    );
  });
});
