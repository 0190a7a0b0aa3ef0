import { defaultOptions, OptionsError, parseOptions } from './options.ts';

describe('parseOptions', () => {
  it('defaults to a run of a few minutes against edgeplane edge', () => {
    expect(parseOptions([])).toEqual(defaultOptions);
    const { durationSeconds, warmupSeconds, rounds } = defaultOptions;
    // 3 sections x 2 targets x (warm-up + rounds): the whole bench stays under ~5 minutes.
    expect(3 * 2 * (warmupSeconds + rounds * durationSeconds)).toBeLessThanOrEqual(240);
    // The purge section: the 200 purges, its loop bounded in time.
    expect(defaultOptions.purges).toBe(200);
    expect(defaultOptions.purgeSeconds).toBeLessThanOrEqual(180);
    expect(defaultOptions.edge).toBe('runtime');
    expect(defaultOptions.connections).toBe(64);
  });

  it('reads every flag', () => {
    expect(
      parseOptions([
        '--duration',
        '20',
        '--warmup=5',
        '--rounds',
        '5',
        '--connections',
        '128',
        '--threads',
        '1',
        '--sections',
        'miss, hit-1k',
        '--edge',
        'stand-in',
        '--origin-workers',
        '1',
        '--keep',
        '--edge-env',
        'EDGEPLANE_REQUEST_LOG=off',
        '--edge-env=EDGEPLANE_CACHE_MEMORY_MB=512',
        '--profile',
        '--json',
        'out.json',
        '--purges',
        '300',
        '--purge-seconds=240',
        '--purge-poll-ms',
        '5',
      ]),
    ).toEqual({
      durationSeconds: 20,
      warmupSeconds: 5,
      rounds: 5,
      connections: 128,
      threads: 1,
      sections: ['miss', 'hit-1k'],
      edge: 'stand-in',
      originWorkers: 1,
      keep: true,
      edgeEnv: { EDGEPLANE_REQUEST_LOG: 'off', EDGEPLANE_CACHE_MEMORY_MB: '512' },
      profile: true,
      json: 'out.json',
      purges: 300,
      purgeSeconds: 240,
      purgePollMs: 5,
      help: false,
    });
  });

  it.each([
    [['--duration', '0'], /--duration must be a whole number of at least 1, e.g. --duration 10/],
    [['--rounds', 'three'], /--rounds must be a whole number/],
    [['--connections', '2.5'], /--connections must be a whole number/],
    [['--edge', 'varnish'], /--edge must be one of runtime, stand-in/],
    [['--purges', '0'], /--purges must be a whole number of at least 1, e.g. --purges 200/],
    [['--connections', '1', '--threads', '2'], /--connections must be at least --threads/],
    [['--durations', '5'], /Unknown option '--durations'/],
    [['extra'], /Unexpected argument 'extra'/],
    [
      ['--edge-env', 'REQUEST_LOG'],
      /--edge-env must be NAME=value, e.g. --edge-env EDGEPLANE_REQUEST_LOG=off/,
    ],
  ])('rejects %j with a clear message', (argv, message) => {
    expect(() => parseOptions(argv)).toThrow(OptionsError);
    expect(() => parseOptions(argv)).toThrow(message);
  });
});
