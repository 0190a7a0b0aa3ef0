// The bench's sections, in the order they run. Issue #3 sets the targets (edge req/s over nginx's).
// What "miss" means here: every request asks for a URL neither cache has seen, and the origin
// answers it 200 with 1 KB and `Cache-Control: public, max-age=86400`. So a miss is the full cost
// of a cold fill on both sides: forward to the origin over a pooled keep-alive connection, store
// the response, answer the client. Uncacheable pass-through would be cheaper and says less.
import { originPaths } from './origin-routes.ts';
import { purgeSection } from './purge-section.ts';
import type { AnySection } from './section.ts';
import { wrkComparison } from './wrk-comparison.ts';

export const sections: readonly AnySection[] = [
  wrkComparison({
    id: 'hit-1k',
    title: 'hits, 1 KB',
    targetRatio: 0.75,
    traffic: { kind: 'fixed-url', path: originPaths.object1k, bodyBytes: 1024 },
    originCounter: 'objects',
    expectedFetchesPerRequest: 0,
  }),
  wrkComparison({
    id: 'hit-100k',
    title: 'hits, 100 KB',
    targetRatio: 0.8,
    traffic: { kind: 'fixed-url', path: originPaths.object100k, bodyBytes: 100 * 1024 },
    originCounter: 'objects',
    expectedFetchesPerRequest: 0,
  }),
  wrkComparison({
    id: 'miss',
    title: 'misses (new URL, cacheable 1 KB)',
    targetRatio: 0.6,
    traffic: { kind: 'distinct-urls', pathPrefix: originPaths.missPrefix, bodyBytes: 1024 },
    originCounter: 'misses',
    expectedFetchesPerRequest: 1,
  }),
  // Issue #5: its own stand (Postgres, Redis, the origin, 8 edges); no nginx.
  purgeSection(),
];

/** The sections named by --sections, in the order given; all when none is named. */
export function selectSections(
  ids: readonly string[],
  all: readonly AnySection[] = sections,
): AnySection[] {
  if (ids.length === 0) return [...all];
  return ids.map((id) => {
    const section = all.find((candidate) => candidate.id === id);
    if (section === undefined) {
      throw new Error(
        `--sections: no section ${id}; the sections are ${all.map((one) => one.id).join(', ')}`,
      );
    }
    return section;
  });
}
