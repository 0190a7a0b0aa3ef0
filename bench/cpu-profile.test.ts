import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  areaOf,
  type CpuProfile,
  formatProfileSummary,
  readProfiles,
  summariseProfiles,
} from './cpu-profile.ts';

const root = '/work/edgeplane';
const node = (id: number, functionName: string, url: string, hitCount: number, lineNumber = 0) => ({
  id,
  callFrame: { functionName, url, lineNumber },
  hitCount,
});

describe('areaOf', () => {
  it.each([
    ['node:_http_server', 'parserOnIncoming', 'node:_http_server'],
    ['node:internal/streams/writable', 'write', 'node:internal/streams'],
    ['node:internal/timers', 'listOnTimeout', 'node:internal'],
    [`file://${root}/node_modules/undici/lib/dispatcher/client-h1.js`, 'onBody', 'undici'],
    [`file://${root}/node_modules/@pulumi/pulumi/x.js`, 'f', '@pulumi/pulumi'],
    [`file://${root}/runtime/edge/handler.ts`, 'handle', 'runtime/edge'],
    ['', '(garbage collector)', '(garbage collector)'],
    ['', 'writev', '(native)'],
  ])('%s is %s', (url, functionName, area) => {
    expect(areaOf(url, functionName, root)).toBe(area);
  });
});

describe('summariseProfiles', () => {
  const profiles: CpuProfile[] = [
    {
      startTime: 0,
      endTime: 1,
      nodes: [
        node(1, '(root)', '', 0),
        node(2, '(idle)', '', 1000),
        node(3, 'handle', `file://${root}/runtime/edge/handler.ts`, 30, 9),
        node(4, 'onBody', `file://${root}/node_modules/undici/lib/x.js`, 10),
      ],
    },
    {
      startTime: 0,
      endTime: 1,
      nodes: [
        node(1, 'handle', `file://${root}/runtime/edge/handler.ts`, 40, 9),
        node(2, '(garbage collector)', '', 20),
      ],
    },
  ];

  it('adds up self time across processes, idle left out, hottest first', () => {
    const summary = summariseProfiles(profiles, root);
    expect(summary.busySamples).toBe(100);
    expect(summary.idleSamples).toBe(1000);
    expect(summary.functions).toEqual([
      { name: 'handle runtime/edge/handler.ts:10', share: 0.7 },
      { name: '(garbage collector)', share: 0.2 },
      { name: 'onBody node_modules/undici/lib/x.js:1', share: 0.1 },
    ]);
    expect(summary.areas.map((area) => area.name)).toEqual([
      'runtime/edge',
      '(garbage collector)',
      'undici',
    ]);
    expect(formatProfileSummary(summary, 2)).toContain('70.0%  handle runtime/edge/handler.ts:10');
  });

  it('gives the project functions their total time, callees included, recursion counted once', () => {
    const handler = `file://${root}/runtime/edge/handler.ts`;
    const tree: CpuProfile = {
      startTime: 0,
      endTime: 1,
      nodes: [
        { ...node(1, '(root)', '', 0), children: [2, 6] },
        { ...node(2, 'handle', handler, 10), children: [3, 5] },
        { ...node(3, 'fill', `file://${root}/runtime/edge/fill.ts`, 20), children: [4] },
        node(4, 'onBody', `file://${root}/node_modules/undici/lib/x.js`, 30),
        node(5, 'handle', handler, 5),
        node(6, '(idle)', '', 100),
      ],
    };
    const summary = summariseProfiles([tree], root);
    expect(summary.busySamples).toBe(65);
    expect(summary.projectTotals).toEqual([
      { name: 'handle runtime/edge/handler.ts:1', share: 1 },
      { name: 'fill runtime/edge/fill.ts:1', share: 50 / 65 },
    ]);
  });

  it('reads the profiles a real node --cpu-prof writes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bench-cpu-profile-'));
    try {
      const busy =
        'let x = 0; const end = Date.now() + 200; while (Date.now() < end) x += Math.sqrt(x + 1);';
      await promisify(execFile)(process.execPath, [
        '--cpu-prof',
        '--cpu-prof-dir',
        dir,
        '-e',
        busy,
      ]);
      const read = await readProfiles(dir);
      expect(read).toHaveLength(1);
      const summary = summariseProfiles(read, root);
      expect(summary.busySamples).toBeGreaterThan(10);
      expect(summary.functions.length).toBeGreaterThan(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
