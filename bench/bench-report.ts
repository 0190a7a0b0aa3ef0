// The report of a bench run: the text it prints and the JSON of --json.
import type { BenchOptions } from './options.ts';
import { compare, formatComparison } from './report.ts';
import type { SectionResult, StandaloneResult, Target } from './section.ts';

export interface ReportInput {
  facts: readonly string[];
  options: BenchOptions;
  results: readonly SectionResult[];
  originCommand: string;
  /** nginx first, then the edge; only their names and commands are read. */
  targets: readonly Pick<Target, 'name' | 'commands'>[];
  /** os.loadavg() when the runs ended. */
  loadAtEnd: readonly number[];
  /** Results of standalone sections (purge propagation), printed after the comparison. */
  standalone?: readonly StandaloneResult[];
}

function names(input: ReportInput): [baseline: string, candidate: string] {
  const [baseline, candidate] = input.targets.map((target) => target.name);
  if (baseline === undefined || candidate === undefined)
    throw new Error('a report needs two targets');
  return [baseline, candidate];
}

/** The JSON of --json: the comparison lines with every run, warnings and commands; standalone figures. */
export function reportDocument(input: ReportInput) {
  const standalone = (input.standalone ?? []).map((result) => ({
    id: result.id,
    title: result.title,
    meetsTarget: result.meetsTarget,
    figures: result.figures,
    warnings: result.warnings,
    commands: result.commands,
  }));
  const [baseline, candidate] = input.results.length > 0 ? names(input) : ['', ''];
  return {
    facts: input.facts,
    options: input.options,
    sections: input.results.map((result) => ({
      ...compare(result, baseline, candidate),
      runs: Object.fromEntries(result.runs),
      warnings: result.warnings,
      commands: result.commands,
    })),
    standalone,
  };
}

/** The text the bench prints: facts, the side-by-side table, warnings, exact commands. */
export function renderReport(input: ReportInput): string {
  const standalone = input.standalone ?? [];
  const warnings = [...input.results, ...standalone].flatMap((result) =>
    result.warnings.map((warning) => `  ${result.id}: ${warning}`),
  );
  const standaloneLines = standalone.flatMap((result) => ['', ...result.lines]);
  const standaloneCommands = standalone.flatMap((result) =>
    result.commands.map((command) => `  ${result.id}: ${command}`),
  );
  if (input.results.length === 0) {
    return [
      '',
      'edgeplane bench',
      ...input.facts.map((fact) => `  ${fact}`),
      ...standaloneLines,
      `load average at end: ${input.loadAtEnd.map((value) => value.toFixed(2)).join(' ')}`,
      ...(warnings.length > 0
        ? ['', 'WARNINGS (these make figures above doubtful):', ...warnings]
        : []),
      '',
      'Commands:',
      ...standaloneCommands,
    ].join('\n');
  }
  const { options, results, targets } = input;
  const [baseline, candidate] = names(input);
  const lines = [
    '',
    `edgeplane bench: ${candidate === 'stand-in' ? "THE BENCH STAND-IN EDGE (not edgeplane's edge; figures are not results)" : "edgeplane's edge"} vs nginx proxy_cache`,
    ...input.facts.map((fact) => `  ${fact}`),
    `  wrk -t${options.threads} -c${options.connections}, ${options.rounds} round${options.rounds === 1 ? '' : 's'} of ${options.durationSeconds} s per target and section, ` +
      `alternating ${baseline}, ${candidate}; ${options.warmupSeconds} s warm-up each; figures are medians over the rounds`,
    '',
    formatComparison(
      results.map((result) => compare(result, baseline, candidate)),
      baseline,
      candidate,
    ),
    '',
    'origin fetches/req: origin requests per client request during the measured runs (hits 0.00, misses 1.00).',
    ...standaloneLines,
    `load average at end: ${input.loadAtEnd.map((value) => value.toFixed(2)).join(' ')}`,
  ];
  if (warnings.length > 0)
    lines.push('', 'WARNINGS (these make figures above doubtful):', ...warnings);
  lines.push(
    ...(Object.keys(options.edgeEnv).length > 0
      ? [
          '',
          `EDGE ENVIRONMENT OVERRIDDEN: ${Object.entries(options.edgeEnv)
            .map(([name, value]) => `${name}=${value}`)
            .join(' ')} (the issue's targets are for metrics and request logging on)`,
        ]
      : []),
    ...(options.profile
      ? [
          '',
          'PROFILED RUN: the edge ran under node --cpu-prof, so its figures are lower than without.',
        ]
      : []),
    '',
    'Commands:',
    `  origin: ${input.originCommand}`,
    ...targets.flatMap((target) =>
      target.commands.map((command) => `  ${target.name}: ${command}`),
    ),
    ...results.flatMap((result) => result.commands.map((command) => `  ${result.id} ${command}`)),
    ...standaloneCommands,
  );
  return lines.join('\n');
}
