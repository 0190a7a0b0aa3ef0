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
    children?: number[];
  }[];
  startTime: number;
  endTime: number;
}

export interface HotSpot {
  /** Function name and where it lives, e.g. `writeHead node:_http_server:340`. */
  name: string;
  /** Share of the busy samples, 0..1: self time, or total time (self and callees) where so named. */
  share: number;
}

export interface ProfileSummary {
  /** Samples where the edge was doing something; shares are of these. */
  busySamples: number;
  /** Samples where it waited for work (the profile also spans nginx's turns). */
  idleSamples: number;
  functions: HotSpot[];
  /** Self time by where the code comes from: the project, a package, Node's internals, V8. */
  areas: HotSpot[];
  /** The project's own functions by total time (with everything they call): which code path costs. */
  projectTotals: HotSpot[];
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

function frameName(frame: CpuProfile['nodes'][number]['callFrame'], projectRoot: string): string {
  const where =
    frame.url === ''
      ? ''
      : ` ${frame.url.replace(`file://${projectRoot}/`, '')}:${frame.lineNumber + 1}`;
  return `${frame.functionName || '(anonymous)'}${where}`;
}

/**
 * Adds the total (inclusive) busy samples of every project function in one profile. A function
 * that is on the stack twice (recursion, re-entry) counts once per sample.
 */
function addProjectTotals(profile: CpuProfile, projectRoot: string, totals: Map<string, number>) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const childIds = new Set(profile.nodes.flatMap((node) => node.children ?? []));
  const inProject = (url: string) =>
    url.startsWith(`file://${projectRoot}/`) && !url.includes('/node_modules/');
  // Depth-first with an explicit stack: profiles of busy servers are deep.
  const stack: { id: number; onStack: ReadonlySet<string> }[] = profile.nodes
    .filter((node) => !childIds.has(node.id))
    .map((node) => ({ id: node.id, onStack: new Set<string>() }));
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const node = nodes.get(item.id);
    if (node === undefined) continue;
    let onStack = item.onStack;
    const idle = node.callFrame.functionName === '(idle)' && node.callFrame.url === '';
    const hits = idle ? 0 : (node.hitCount ?? 0);
    if (inProject(node.callFrame.url)) {
      const name = frameName(node.callFrame, projectRoot);
      if (!onStack.has(name)) onStack = new Set([...onStack, name]);
    }
    // This node's own samples count for every project function on its stack.
    if (hits > 0) for (const name of onStack) totals.set(name, (totals.get(name) ?? 0) + hits);
    for (const child of node.children ?? []) stack.push({ id: child, onStack });
  }
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
      const { functionName, url } = node.callFrame;
      if (functionName === '(idle)' && url === '') {
        idle += hits;
        continue;
      }
      samples += hits;
      const name = frameName(node.callFrame, projectRoot);
      byFunction.set(name, (byFunction.get(name) ?? 0) + hits);
      const area = areaOf(url, functionName, projectRoot);
      byArea.set(area, (byArea.get(area) ?? 0) + hits);
    }
  }
  const byProjectTotal = new Map<string, number>();
  for (const profile of profiles) addProjectTotals(profile, projectRoot, byProjectTotal);
  const ranked = (counts: Map<string, number>) =>
    [...counts]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, hits]) => ({ name, share: samples === 0 ? 0 : hits / samples }));
  return {
    busySamples: samples,
    idleSamples: idle,
    functions: ranked(byFunction),
    areas: ranked(byArea),
    projectTotals: ranked(byProjectTotal),
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
    ...summary.areas.map((spot) => `    ${percent(spot.share)}  ${spot.name}`),
    '  hottest functions (self time):',
    ...summary.functions.map((spot) => `    ${percent(spot.share)}  ${spot.name}`),
    "  the project's functions by total time (with what they call):",
    ...summary.projectTotals.map((spot) => `    ${percent(spot.share)}  ${spot.name}`),
  ].join('\n');
}
