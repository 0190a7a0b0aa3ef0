import { isStandalone } from './section.ts';
import { sections, selectSections } from './sections.ts';

describe('sections', () => {
  it('covers the issue targets: 1 KB hits 0.75x, 100 KB hits 0.8x, misses 0.6x, purge propagation', () => {
    expect(sections.map((section) => section.id)).toEqual(['hit-1k', 'hit-100k', 'miss', 'purge']);
    expect(sections.filter(isStandalone).map((section) => section.id)).toEqual(['purge']);
  });

  it('selects by id in the order given', () => {
    expect(selectSections(['miss', 'hit-1k']).map((section) => section.id)).toEqual([
      'miss',
      'hit-1k',
    ]);
    expect(selectSections([])).toHaveLength(4);
  });

  it('names the known sections when asked for an unknown one', () => {
    expect(() => selectSections(['purges'])).toThrow(
      '--sections: no section purges; the sections are hit-1k, hit-100k, miss, purge',
    );
  });
});
