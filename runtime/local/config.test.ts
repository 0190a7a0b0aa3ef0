import { LocalConfigError, localPorts, parseLocalConfig } from './config.ts';

const checkout = '/srv/edgeplane';

describe('parseLocalConfig', () => {
  test('defaults: the documented ports and .edgeplane/local in the checkout, quiet', () => {
    expect(parseLocalConfig([], {}, checkout)).toEqual({
      dir: '/srv/edgeplane/.edgeplane/local',
      ports: {
        edge: 8080,
        origin: 8081,
        demo: 8082,
        edgeManagement: 9090,
        originManagement: 9091,
        postgres: 5433,
      },
      verbose: false,
    });
  });

  test('every port and the folder move by environment; --verbose or the variable turns logs on', () => {
    const env = Object.fromEntries(
      Object.values(localPorts).map((port, index) => [port.env, String(20_000 + index)]),
    );
    const config = parseLocalConfig(
      ['--verbose'],
      { ...env, EDGEPLANE_LOCAL_DIR: '/data/x' },
      checkout,
    );
    expect(config).toMatchObject({ dir: '/data/x', verbose: true });
    expect(Object.values(config === 'help' ? {} : config.ports)).toEqual([
      20_000, 20_001, 20_002, 20_003, 20_004, 20_005,
    ]);
    expect(parseLocalConfig([], { EDGEPLANE_LOCAL_VERBOSE: '1' }, checkout)).toMatchObject({
      verbose: true,
    });
    expect(parseLocalConfig(['-h'], {}, checkout)).toBe('help');
  });

  test('bad values name the variable and a valid example; two services on one port are refused', () => {
    const attempt = () =>
      parseLocalConfig(
        [],
        {
          EDGEPLANE_LOCAL_EDGE_PORT: 'eighty',
          EDGEPLANE_LOCAL_POSTGRES_PORT: '70000',
          EDGEPLANE_LOCAL_DEMO_PORT: '9091',
          EDGEPLANE_LOCAL_VERBOSE: 'loud',
        },
        checkout,
      );
    expect(attempt).toThrow(LocalConfigError);
    expect(attempt).toThrow(
      [
        'invalid local mode settings:',
        '  EDGEPLANE_LOCAL_EDGE_PORT: must be a port number, e.g. EDGEPLANE_LOCAL_EDGE_PORT=18080',
        '  EDGEPLANE_LOCAL_POSTGRES_PORT: must be a port between 1 and 65535, e.g. EDGEPLANE_LOCAL_POSTGRES_PORT=18080',
        '  EDGEPLANE_LOCAL_DEMO_PORT and EDGEPLANE_LOCAL_ORIGIN_MANAGEMENT_PORT are both 9091: give each service its own port',
        '  EDGEPLANE_LOCAL_VERBOSE: must be 1 or 0, e.g. EDGEPLANE_LOCAL_VERBOSE=1',
      ].join('\n'),
    );
    expect(() => parseLocalConfig(['--bogus'], {}, checkout)).toThrow(/Unknown option '--bogus'/);
  });
});
