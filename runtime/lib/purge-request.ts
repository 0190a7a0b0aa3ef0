// What a purge is, shared by the edge's purge endpoint, the origin's API and the origin link:
// its kinds and modes, and the checks on its values that every entry point makes.
import type { z } from 'zod';

export const purgeKinds = ['url', 'key', 'prefix', 'all'] as const;
export const purgeModes = ['soft', 'hard'] as const;
export type PurgeKind = (typeof purgeKinds)[number];

/** Every kind but `all` names at least one value; url and prefix values are paths or http(s) URLs. */
export function checkPurgeValues(
  purge: { kind: PurgeKind; values: readonly string[] },
  ctx: z.RefinementCtx,
): void {
  if (purge.kind !== 'all' && purge.values.length === 0) {
    const example = { url: '/index.html', key: 'product-42', prefix: '/images/' }[purge.kind];
    ctx.addIssue({
      code: 'custom',
      path: ['values'],
      message: `must list at least one ${purge.kind}, e.g. ["${example}"]`,
    });
  }
  if (purge.kind === 'url' || purge.kind === 'prefix') {
    purge.values.forEach((value, index) => {
      const absolute = /^https?:\/\//i.test(value) && URL.canParse(value);
      if (!value.startsWith('/') && !absolute) {
        ctx.addIssue({
          code: 'custom',
          path: ['values', index],
          message: 'must be a path starting with / or an http(s) URL, e.g. /index.html',
        });
      }
    });
  }
}
