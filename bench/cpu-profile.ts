// Reads the .cpuprofile files that `node --cpu-prof` writes (one per edge process) and says where
// the edge spends its CPU: the functions with the most self time, and the share of each module.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** The parts of V8's CPU profile format (Profiler.Profile) this summary reads. */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    hitCount?: number;
  }[];
  startTime: number;
  endTime: number;
}

export interface HotSpot {
  /** Function name and where it lives, e.g. `writeHead node:_http_server:340`. */
  name: string;
  /** Share of all samples, 0..1. */
  selfShare: number;
}

export interface ProfileSummary {
  /** Samples where the edge was doing something; shares are of these. */
  busySamples: number;
  /** Samples where it waited for work (the profile also spans nginx's turns). */
  idleSamples: number;
  functions: HotSpot[];
  /** Self time by where the code comes from: the project, a package, Node's internals, V8. */
  areas: HotSpot[];
}

/** Where a function's code comes from, so that a reader sees "undici 12%" at a glance. */
export function areaOf(url: string, functionName: string, projectRoot: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:internal/')) {
    // node:internal/streams/writable -> node:internal/streams: which machinery, not which file.
    const [, area, file] = url.split('/');
    return file === undefined ? 'node:internal' : `node:internal/${area}`;
  }
  if (url.startsWith('node:')) return url;
  const path = url.replace(/^file:\/\//, '');
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (packageMatch) return packageMatch[1] as string;
  if (path.startsWith(projectRoot))
    return relative(projectRoot, path).split('/').slice(0, 2).join('/');
  return path;
}

export function summariseProfiles(
  profiles: readonly CpuProfile[],
  projectRoot: string,
  top = 15,
): ProfileSummary {
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  let samples = 0;
  let idle = 0;
  for (const profile of profiles) {
    for (const node of profile.nodes) {
      const hits = node.hitCount ?? 0;
      if (hits === 0) continue;
      const { functionName, url, lineNumber } = node.callFrame;
      if (functionName === '(idle)' && url === '') {
        idle += hits;
        continue;
      }
      samples += hits;
      const where =
        url === '' ? '' : ` ${url.replace(`file://${projectRoot}/`, '')}:${lineNumber + 1}`;
      const name = `${functionName || '(anonymous)'}${where}`;
      byFunction.set(name, (byFunction.get(name) ?? 0) + hits);
      const area = areaOf(url, functionName, projectRoot);
      byArea.set(area, (byArea.get(area) ?? 0) + hits);
    }
  }
  const ranked = (counts: Map<string, number>) =>
    [...counts]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, hits]) => ({ name, selfShare: samples === 0 ? 0 : hits / samples }));
  return {
    busySamples: samples,
    idleSamples: idle,
    functions: ranked(byFunction),
    areas: ranked(byArea),
  };
}

export async function readProfiles(dir: string): Promise<CpuProfile[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.cpuprofile'));
  return Promise.all(
    names.map(async (name) => JSON.parse(await readFile(join(dir, name), 'utf8')) as CpuProfile),
  );
}

export function formatProfileSummary(summary: ProfileSummary, files: number): string {
  const percent = (share: number) => `${(share * 100).toFixed(1).padStart(5)}%`;
  return [
    `CPU profile of the edge: ${files} processes, ${summary.busySamples} busy samples ` +
      `(${summary.idleSamples} idle ones left out); share of busy self time:`,
    '  by area:',
    ...summary.areas.map((spot) => `    ${percent(spot.selfShare)}  ${spot.name}`),
    '  hottest functions:',
    ...summary.functions.map((spot) => `    ${percent(spot.selfShare)}  ${spot.name}`),
  ].join('\n');
}
