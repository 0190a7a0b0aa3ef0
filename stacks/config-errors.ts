// Turns config problems into one message that names each full key, what is wrong, and a valid example.
import { closest, distance } from 'fastest-levenshtein';
import { configExamples, exampleCommand } from './config-examples.ts';

export interface ConfigProblem {
  /** Dotted path inside the project namespace, e.g. `database.storageGb` or `regions.1`. */
  path: string;
  message: string;
  /** The offending value, already judged safe to show (never a secret). */
  got?: unknown;
  /** Whose example to show, when not the key's own (e.g. the key a typo meant). */
  exampleOf?: string;
}

export class StackConfigError extends Error {
  readonly problems: readonly ConfigProblem[];
  constructor(namespace: string, stack: string, problems: readonly ConfigProblem[]) {
    super(formatProblems(namespace, stack, problems));
    this.name = 'StackConfigError';
    this.problems = problems;
  }
}

function formatProblems(namespace: string, stack: string, problems: readonly ConfigProblem[]) {
  const lines = [
    `stack config of ${stack} is invalid (${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}); nothing was created:`,
  ];
  for (const problem of problems) {
    const got = problem.got === undefined ? '' : ` (got ${shorten(JSON.stringify(problem.got))})`;
    lines.push(`  ${namespace}:${problem.path}: ${problem.message}${got}`);
    const example = exampleCommand(problem.exampleOf ?? exampleKey(problem.path));
    if (example) lines.push(`      valid example: ${example}`);
  }
  return lines.join('\n');
}

/** The examples map has no list indices: `regions.1` shares the example of `regions`. */
export function exampleKey(path: string): string {
  return path
    .split('.')
    .filter((part) => !/^\d+$/.test(part))
    .join('.');
}

/** Known keys directly under `parent` (or at the top when parent is ''), from the examples map. */
export function knownKeysUnder(parent: string): string[] {
  const prefix = parent === '' ? '' : `${parent}.`;
  const keys = new Set<string>();
  for (const key of Object.keys(configExamples)) {
    if (key.startsWith(prefix)) keys.add(key.slice(prefix.length).split('.')[0] as string);
  }
  return [...keys].sort();
}

/** The closest known key, if one is near enough to be a typo. */
export function closestKey(unknown: string, known: readonly string[]): string | undefined {
  if (known.length === 0) return undefined;
  const candidate = closest(unknown, [...known]);
  return distance(unknown, candidate) <= Math.max(2, Math.floor(unknown.length / 4))
    ? candidate
    : undefined;
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
