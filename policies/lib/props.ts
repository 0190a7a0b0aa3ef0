// Reading resource props that may be unknown during preview. @pulumi/policy hands a policy its props
// behind a proxy that throws UnknownValueError when a value computed by another resource (an ARN, an
// ID) is read; a policy that only needs to know "is it set?" must not give up on the whole resource
// because of that. read() returns `unknown` for such a value and undefined for a missing one.
import { UnknownValueError } from '@pulumi/policy';

/** A value that is not known until the resources it depends on exist (`pulumi preview`). */
export const unknown: unique symbol = Symbol('unknown during preview');
export type Unknown = typeof unknown;

// The engine's wire form of an unknown value (all types share it) and @pulumi/policy's per-type
// sentinels (proxy.js, marked internal there): props that reach a policy without the proxy carry these.
const unknownSentinels = new Set([
  '04da6b54-80e4-46f7-96ec-b56ff0331ba9',
  '1c4a061d-8072-4f0a-a4cb-0ff528b18fe7',
  '3eeb2bf0-c639-47a8-9e75-3b44932eb421',
  '6a19a0b0-7e62-4c92-b797-7f8e31da9cc2',
  '030794c1-ac77-496b-92df-f27374a8bd58',
  'e48ece36-62e2-4504-bad9-02848725956a',
  'dd056dcd-154b-4c76-9bd3-c8f88648b5ff',
]);

export function isUnknown(value: unknown): value is Unknown {
  return value === unknown || (typeof value === 'string' && unknownSentinels.has(value));
}

/**
 * The value at a dotted path (`settings.ipConfiguration.ipv4Enabled`; numeric segments index arrays)
 * or at a list of keys (for keys with dots, like `app.kubernetes.io/name`): `unknown` when it or a
 * value on the way is unknown, undefined when missing or when a value on the way is not an object.
 */
export function read(props: unknown, path: string | readonly string[]): unknown {
  let current: unknown = props;
  for (const segment of typeof path === 'string' ? path.split('.') : path) {
    if (isUnknown(current)) return unknown;
    if (typeof current !== 'object' || current === null) return undefined;
    try {
      current = (current as Record<string, unknown>)[segment];
    } catch (error) {
      if (error instanceof UnknownValueError) return unknown;
      throw error;
    }
  }
  return isUnknown(current) ? unknown : current;
}

/** The elements of an array value; `unknown` when the array (not an element) is unknown. */
export function readArray(props: unknown, path: string): unknown[] | Unknown | undefined {
  const value = read(props, path);
  if (value === unknown) return unknown;
  if (!Array.isArray(value)) return undefined;
  const elements: unknown[] = [];
  for (let index = 0; index < value.length; index++) elements.push(read(value, [String(index)]));
  return elements;
}

/** The keys of an object value (e.g. tags); `unknown` when the object itself is unknown. */
export function readKeys(props: unknown, path: string): string[] | Unknown | undefined {
  const value = read(props, path);
  if (value === unknown) return unknown;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return Object.keys(value);
}

/** A string-keyed map of strings (tags, labels), tolerating unknown values; keys of unknown values stay. */
export function readStringMap(
  props: unknown,
  path: string,
): Record<string, string | Unknown> | Unknown | undefined {
  const keys = readKeys(props, path);
  if (keys === unknown || keys === undefined) return keys;
  const object = read(props, path);
  const map: Record<string, string | Unknown> = {};
  for (const key of keys) {
    const value = read(object, [key]);
    if (value === unknown) map[key] = unknown;
    else if (typeof value === 'string') map[key] = value;
  }
  return map;
}
