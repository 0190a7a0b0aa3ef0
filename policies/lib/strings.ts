// Every string inside a props value with its dotted path, for policies that look for patterns in
// values (URLs, keys). Values unknown during preview are skipped.
import { isUnknown, read } from './props.ts';

export function stringsIn(value: unknown, path: string): [string, string][] {
  if (isUnknown(value)) return [];
  if (typeof value === 'string') return [[path, value]];
  if (typeof value !== 'object' || value === null) return [];
  return Object.keys(value).flatMap((key) =>
    stringsIn(read(value, [key]), path === '' ? key : `${path}.${key}`),
  );
}
