import { sections, selectSections } from './sections.ts';

describe('sections', () => {
  it('covers the issue targets: 1 KB hits 0.75x, 100 KB hits 0.8x, misses 0.6x', () => {
    expect(sections.map((section) => section.id)).toEqual(['hit-1k', 'hit-100k', 'miss']);
  });

  it('selects by id in the order given', () => {
    expect(selectSections(['miss', 'hit-1k']).map((section) => section.id)).toEqual([
      'miss',
      'hit-1k',
    ]);
    expect(selectSections([])).toHaveLength(3);
  });

  it('names the known sections when asked for an unknown one', () => {
    expect(() => selectSections(['purge'])).toThrow(
      '--sections: no section purge; the sections are hit-1k, hit-100k, miss',
    );
  });
});
