// Checks Helm values against the keys a pinned chart version defines, so a misspelled or removed
// key fails the plan instead of being silently ignored by Helm.
import type { ChartKeyKind } from './cert-manager-chart.ts';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Dotted paths of values the chart does not define. */
export function unknownChartValues(
  values: Record<string, unknown>,
  keys: Readonly<Record<string, ChartKeyKind>>,
  prefix = '',
): string[] {
  return Object.entries(values).flatMap(([key, value]) => {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    const kind = keys[path];
    if (kind === undefined) return [path];
    if (kind === 'section' && isPlainObject(value)) return unknownChartValues(value, keys, path);
    return [];
  });
}
