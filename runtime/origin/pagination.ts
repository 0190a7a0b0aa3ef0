// Keyset pagination: `limit` and an opaque `cursor` (the last item's sort key, base64url).
import { z } from 'zod';

export const pageQuerySchema = z.object({
  limit: z.coerce
    .number({ error: 'must be a number from 1 to 200, e.g. 50' })
    .int('must be a whole number from 1 to 200, e.g. 50')
    .min(1, 'must be a number from 1 to 200, e.g. 50')
    .max(200, 'must be a number from 1 to 200, e.g. 50')
    .default(50),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,200}$/, 'must be the nextCursor of a previous page')
    .optional(),
});
export type PageQuery = z.output<typeof pageQuerySchema>;

export const encodeCursor = (key: string): string => Buffer.from(key, 'utf8').toString('base64url');
export const decodeCursor = (cursor: string | undefined): string | undefined =>
  cursor === undefined ? undefined : Buffer.from(cursor, 'base64url').toString('utf8');

export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** Given limit+1 rows, the page and the cursor of the next one. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => string) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null,
  };
}
