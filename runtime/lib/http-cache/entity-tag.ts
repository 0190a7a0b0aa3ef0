/**
 * Entity tags (RFC 9110 §8.8.3) and their strong and weak comparison (§8.8.3.2).
 */
import { splitList } from './headers.ts';

export interface EntityTag {
  readonly weak: boolean;
  /** The opaque-tag including its double quotes, e.g. `"abc"`. */
  readonly opaque: string;
}

const ENTITY_TAG = /^(W\/)?("[^"]*")$/;

/**
 * Parses one entity-tag. An unquoted value (a common origin mistake) is read as if quoted, so
 * `abc` and `"abc"` compare equal instead of making validation impossible.
 */
export function parseEntityTag(value: string): EntityTag | undefined {
  const text = value.trim();
  const m = ENTITY_TAG.exec(text);
  if (m) return { weak: m[1] !== undefined, opaque: m[2] as string };
  if (text === '' || text.includes('"') || /[\s,]/.test(text)) return undefined;
  if (text.startsWith('W/')) return { weak: true, opaque: `"${text.slice(2)}"` };
  return { weak: false, opaque: `"${text}"` };
}

/** Parses an If-Match / If-None-Match value: `*` or a list of entity-tags (invalid ones dropped). */
export function parseEntityTagList(value: string): '*' | EntityTag[] {
  if (value.trim() === '*') return '*';
  const tags: EntityTag[] = [];
  for (const member of splitList(value)) {
    const tag = parseEntityTag(member);
    if (tag) tags.push(tag);
  }
  return tags;
}

/** Strong comparison: both strong and identical opaque-tags. */
export function strongMatch(a: EntityTag, b: EntityTag): boolean {
  return !a.weak && !b.weak && a.opaque === b.opaque;
}

/** Weak comparison: identical opaque-tags, weakness ignored. */
export function weakMatch(a: EntityTag, b: EntityTag): boolean {
  return a.opaque === b.opaque;
}

/** The serialised form of an entity-tag. */
export function formatEntityTag(tag: EntityTag): string {
  return tag.weak ? `W/${tag.opaque}` : tag.opaque;
}
