/**
 * Vary (RFC 9111 §4.1): the secondary cache key made from the request's values of the fields a
 * response varies on. Values are normalised only where the difference carries no meaning, so
 * equivalent requests share one variant: list whitespace and empty members everywhere, for
 * Accept-Encoding also case, member order and the spelling of q-values, and for Accept-Language
 * case and the spelling of q-values.
 */
import { fieldValue, type HeaderMap, splitList } from './headers.ts';
import { BoundedMemo } from './memo.ts';

/** The Vary field names of a response: lower-case, sorted, unique; `'*'` when it varies on `*`. */
export function varyFields(responseHeaders: HeaderMap): '*' | string[] {
  const value = fieldValue(responseHeaders, 'vary');
  if (value === undefined) return [];
  const fields = VARY_FIELDS.get(value, parseVary);
  return fields === '*' ? '*' : fields.slice();
}

const VARY_FIELDS = new BoundedMemo<'*' | readonly string[]>();
const NORMALISED = new BoundedMemo<string>();

function parseVary(value: string): '*' | readonly string[] {
  const names = new Set<string>();
  for (const member of splitList(value)) {
    const name = member.trim().toLowerCase();
    if (name === '*') return '*';
    names.add(name);
  }
  return [...names].sort();
}

function normaliseQ(q: string): string | undefined {
  if (!/^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(q)) return undefined;
  return String(Number(q));
}

/**
 * Accept-Encoding in canonical form: codings lower-case, `q=1` dropped, q-values as numbers,
 * sorted. Order carries no meaning for content codings (preference is by q, then the server's),
 * so `gzip, br` and `br,gzip` are the same request.
 */
export function normaliseAcceptEncoding(value: string): string {
  const members = splitList(value).map((member) => {
    const [coding = '', ...params] = member.split(';').map((p) => p.trim());
    let q = '1';
    for (const param of params) {
      const eq = param.indexOf('=');
      if (eq > 0 && param.slice(0, eq).trim().toLowerCase() === 'q') {
        q = normaliseQ(param.slice(eq + 1).trim()) ?? param.slice(eq + 1).trim();
      }
    }
    if (coding === '') return '';
    return q === '1' ? coding.toLowerCase() : `${coding.toLowerCase()};q=${q}`;
  });
  return [...new Set(members)]
    .filter((m) => m !== '')
    .sort()
    .join(',');
}

/**
 * Accept-Language with case-normalised language ranges and q-values spelled as numbers (ranges
 * are case-insensitive, RFC 4647 §2). Member order is kept: servers use it to break ties between
 * equal q-values, so `en, de` and `de, en` may select different representations.
 */
export function normaliseAcceptLanguage(value: string): string {
  return splitList(value)
    .map((member) => {
      const [range = '', ...params] = member.split(';').map((p) => p.trim());
      let q: string | undefined;
      for (const param of params) {
        const eq = param.indexOf('=');
        if (eq > 0 && param.slice(0, eq).trim().toLowerCase() === 'q') {
          const raw = param.slice(eq + 1).trim();
          q = normaliseQ(raw) ?? raw;
        }
      }
      return q === undefined || q === '1' ? range.toLowerCase() : `${range.toLowerCase()};q=${q}`;
    })
    .filter((member) => member !== '' && !member.startsWith(';'))
    .join(',');
}

/** Generic list normalisation: members trimmed, empty ones dropped, joined with ",". */
export function normaliseListValue(value: string): string {
  return splitList(value).join(',');
}

/** Per-field normalisers; fields not listed use `normaliseListValue`. */
const NORMALISERS: Readonly<Record<string, (value: string) => string>> = {
  'accept-encoding': normaliseAcceptEncoding,
  'accept-language': normaliseAcceptLanguage,
};

/** The normalised value of one request field for the secondary key; undefined when absent. */
export function normaliseVaryValue(field: string, lines: readonly string[]): string | undefined {
  if (lines.length === 0) return undefined;
  const name = field.toLowerCase();
  const normalise = NORMALISERS[name] ?? normaliseListValue;
  return NORMALISED.get(`${name}:${lines.join(',')}`, (key) =>
    normalise(key.slice(name.length + 1)),
  );
}

/**
 * The secondary key of a request for a response that varies on `fields`, or undefined for
 * `Vary: *` (which never matches, §4.1). Absent fields are distinct from empty ones.
 * The result is a stable string: equal for requests the stored response may answer.
 */
export function secondaryKey(
  fields: '*' | readonly string[],
  requestHeaders: HeaderMap,
): string | undefined {
  if (fields === '*') return undefined;
  let key = '';
  for (const field of fields) {
    const name = field.toLowerCase();
    const value = fieldValue(requestHeaders, name);
    const segment =
      value === undefined
        ? name
        : SEGMENTS.get(`${name}:${value}`, () => {
            return `${name}=${JSON.stringify(normaliseVaryValue(name, [value]))}`;
          });
    key = key === '' ? segment : `${key}&${segment}`;
  }
  return key;
}

const SEGMENTS = new BoundedMemo<string>();

/**
 * Does a stored response, stored for a request with headers `storedRequestHeaders`, match the
 * new request? (§4.1: every Vary'd field must match after normalisation; `*` never matches.)
 */
export function varyMatches(
  storedResponseHeaders: HeaderMap,
  storedRequestHeaders: HeaderMap,
  requestHeaders: HeaderMap,
): boolean {
  const fields = varyFields(storedResponseHeaders);
  if (fields === '*') return false;
  return secondaryKey(fields, storedRequestHeaders) === secondaryKey(fields, requestHeaders);
}
