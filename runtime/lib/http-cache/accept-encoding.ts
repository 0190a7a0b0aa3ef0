/**
 * Choosing a content coding from Accept-Encoding (RFC 9110 §12.5.3) among the variants the edge
 * can send, honouring q-values (q=0 forbids), `*`, and identity being acceptable unless
 * excluded. Parsing and ranking are `negotiator`'s (the jshttp library behind Express).
 */
import Negotiator from 'negotiator';
import { fieldValue, type HeaderMap } from './headers.ts';
import { BoundedMemo } from './memo.ts';

export type ContentCoding = 'br' | 'gzip' | 'identity';

/** The edge's preference among equally acceptable codings: smallest output first. */
export const CODING_PREFERENCE: readonly ContentCoding[] = ['br', 'gzip', 'identity'];

/**
 * The best coding among `available` for the request, or undefined when none is acceptable (for
 * example `identity;q=0` with only identity available: the caller answers 406 or sends identity
 * anyway, which RFC 9110 permits). Ties go to `available`'s order.
 */
export function chooseEncoding(
  requestHeaders: HeaderMap,
  available: readonly ContentCoding[] = CODING_PREFERENCE,
): ContentCoding | undefined {
  const header = fieldValue(requestHeaders, 'accept-encoding');
  const chosen = CHOICES.get(`${available.join(',')}\n${header ?? '\n'}`, () =>
    negotiate(header, available),
  );
  return chosen === '' ? undefined : chosen;
}

// Clients send a handful of distinct Accept-Encoding values: negotiate each once.
const CHOICES = new BoundedMemo<ContentCoding | ''>();

function negotiate(
  header: string | undefined,
  available: readonly ContentCoding[],
): ContentCoding | '' {
  const negotiator = new Negotiator({
    headers: header === undefined ? {} : { 'accept-encoding': header },
  });
  // negotiator 1.x takes `preferred` (tie-break order); @types/negotiator 0.6 predates it.
  const encodings = negotiator.encodings.bind(negotiator) as (
    available: string[],
    options: { preferred: string[] },
  ) => string[];
  const ranked = encodings([...available], { preferred: [...available] });
  return ranked.find((c): c is ContentCoding => (available as readonly string[]).includes(c)) ?? '';
}
