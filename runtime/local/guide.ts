// What local mode prints once everything is ready: where each service listens, the demo tenant
// and its key, and four curl lines that show a MISS, a HIT, a purge through the API and a MISS.
import { demoHost } from './config.ts';
import { demoSurrogateKey } from './demo-origin.ts';

export interface GuideFacts {
  edgeUrl: string;
  apiUrl: string;
  demoOriginUrl: string;
  edgeManagementUrl: string;
  originManagementUrl: string;
  postgres: string;
  bus: string;
  logs: string;
  tenantId: string;
  siteId: string;
  key: string;
  keyFile: string;
  keyIsNew: boolean;
}

/** Single-quotes a value for a POSIX shell. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

export function curlLines(facts: GuideFacts): { comment: string; command: string }[] {
  const get = `curl -si -H ${shellQuote(`Host: ${demoHost}`)} ${facts.edgeUrl}/`;
  const purgeBody = JSON.stringify({ site: facts.siteId, kind: 'key', values: [demoSurrogateKey] });
  const purge = [
    `curl -si -X POST ${facts.apiUrl}/v1/purges`,
    `-H ${shellQuote(`Authorization: Bearer ${facts.key}`)}`,
    `-H 'Content-Type: application/json'`,
    `-d ${shellQuote(purgeBody)}`,
  ].join(' ');
  return [
    {
      comment: `1. MISS: the edge fetches the page from the demo origin and stores it (Cache-Status: edgeplane; fwd=uri-miss; stored)`,
      command: get,
    },
    {
      comment: `2. HIT: the same page from the edge's cache (Cache-Status: edgeplane; hit); the origin request # stays`,
      command: get,
    },
    {
      comment: `3. Purge everything tagged Surrogate-Key: ${demoSurrogateKey} through the origin API (201 Created)`,
      command: `${purge} -w '\\n'`,
    },
    {
      comment: '4. MISS again: the purge reached the edge over its event stream',
      command: get,
    },
  ];
}

export function formatGuide(facts: GuideFacts): string {
  const rows: [string, string][] = [
    ['edge', `${facts.edgeUrl}  (serves ${demoHost})`],
    ['origin API', `${facts.apiUrl}/v1  (OpenAPI: ${facts.apiUrl}/openapi.json)`],
    ['demo origin', `${facts.demoOriginUrl}  (the demo tenant's own server)`],
    [
      'probes',
      `${facts.edgeManagementUrl}/readyz (edge), ${facts.originManagementUrl}/readyz (origin); /metrics beside them`,
    ],
    ['Postgres', facts.postgres],
    ['event bus', facts.bus],
    ['logs', `${facts.logs}  (--verbose prints them here)`],
  ];
  const keyNote = facts.keyIsNew ? 'new' : 'kept from an earlier start';
  return [
    'edgeplane local mode is running: the whole CDN on this machine. Ctrl-C stops it.',
    '',
    ...rows.map(([name, value]) => `  ${name.padEnd(12)} ${value}`),
    '',
    `Demo tenant ${facts.tenantId}, site ${facts.siteId}: ${demoHost} -> ${facts.demoOriginUrl}`,
    `Its admin API key (${keyNote}; also in ${facts.keyFile}, mode 0600):`,
    '',
    `  ${facts.key}`,
    '',
    'Try it from another terminal:',
    '',
    ...curlLines(facts).flatMap(({ comment, command }) => [`  # ${comment}`, `  ${command}`, '']),
  ].join('\n');
}
