/**
 * RFC 9213 targeted cache-control fields (CDN-Cache-Control and any configured list). The first
 * listed field present with a valid, non-empty Structured Fields Dictionary value is used instead
 * of Cache-Control, and Expires is then ignored (RFC 9213 §2.1). A field that does not parse, or
 * whose directives have the wrong type, is ignored as if absent.
 */
import { type InnerList, type Item, parseDictionary, Token } from 'structured-headers';
import {
  MAX_DELTA_SECONDS,
  parseDirectives,
  type ResponseDirectives,
  responseDirectivesFrom,
} from './cache-control.ts';
import { fieldValue, type HeaderMap } from './headers.ts';
import { BoundedMemo } from './memo.ts';

/** The targeted fields the edge obeys by default, most specific first. */
export const DEFAULT_TARGETED_FIELDS: readonly string[] = ['cdn-cache-control'];

const INTEGER_DIRECTIVES = new Set([
  'max-age',
  's-maxage',
  'stale-while-revalidate',
  'stale-if-error',
]);
const LIST_DIRECTIVES = new Set(['no-cache', 'private']);

function isInnerList(member: Item | InnerList): member is InnerList {
  return Array.isArray(member[0]);
}

/**
 * Parses one targeted field value (of field `fieldName`, which becomes the result's `source`)
 * into directives, or undefined when it is not a valid Dictionary, is empty, or gives a known
 * directive the wrong type (e.g. `max-age="10"`).
 * Parsing is strict Structured Fields (RFC 8941) as RFC 9213 requires: keys are lower-case only,
 * so `MaX-aGe=5` makes the field invalid and Cache-Control applies instead.
 */
export function parseTargetedField(
  value: string,
  fieldName = 'cdn-cache-control',
): ResponseDirectives | undefined {
  let dictionary: Map<string, Item | InnerList>;
  try {
    dictionary = parseDictionary(value);
  } catch {
    return undefined;
  }
  if (dictionary.size === 0) return undefined;
  const directives = new Map<string, string | true>();
  for (const [name, member] of dictionary) {
    if (isInnerList(member)) {
      if (!LIST_DIRECTIVES.has(name)) {
        directives.set(name, member[0].map(([v]) => String(v)).join(', '));
        continue;
      }
      const names: string[] = [];
      for (const [v] of member[0]) {
        if (typeof v !== 'string' && !(v instanceof Token)) return undefined;
        names.push(v.toString().toLowerCase());
      }
      directives.set(name, names.join(', '));
      continue;
    }
    const bare = member[0];
    if (INTEGER_DIRECTIVES.has(name)) {
      if (typeof bare !== 'number' || !Number.isInteger(bare) || bare < 0) return undefined;
      directives.set(name, String(Math.min(bare, MAX_DELTA_SECONDS)));
    } else if (bare === true) {
      directives.set(name, true);
    } else if (LIST_DIRECTIVES.has(name) || bare === false) {
      return undefined;
    } else {
      directives.set(name, String(bare));
    }
  }
  return directives.size === 0 ? undefined : responseDirectivesFrom(directives, fieldName);
}

/**
 * The directives that govern the edge's storage and freshness for a response: the first valid
 * targeted field in `targetedFields` order, else Cache-Control. `source` tells which was used.
 */
export function effectiveResponseDirectives(
  headers: HeaderMap,
  targetedFields: readonly string[] = DEFAULT_TARGETED_FIELDS,
): ResponseDirectives {
  for (const field of targetedFields) {
    const name = field.toLowerCase();
    const value = fieldValue(headers, name);
    if (value === undefined) continue;
    const parsed = TARGETED.get(`${name}\n${value}`, () => parseTargetedField(value, name));
    if (parsed) return parsed;
  }
  const value = fieldValue(headers, 'cache-control');
  return value === undefined
    ? NO_CACHE_CONTROL
    : CACHE_CONTROL.get(value, (v) => responseDirectivesFrom(parseDirectives([v])));
}

// Parsed directives per distinct field value: the hit path parses each stored response's
// Cache-Control on every request, and the values repeat.
const TARGETED = new BoundedMemo<ResponseDirectives | undefined>();
const CACHE_CONTROL = new BoundedMemo<ResponseDirectives>();
const NO_CACHE_CONTROL = responseDirectivesFrom(new Map());
