import { isHitOf } from './cache-hit.ts';

describe('isHitOf', () => {
  it('reads the hit parameter of the named cache member', () => {
    expect(isHitOf('edgeplane', 'edgeplane; hit; ttl=86399')).toBe(true);
    expect(isHitOf('edgeplane', 'edgeplane; fwd=miss; stored')).toBe(false);
    expect(isHitOf('edgeplane', 'edgeplane; fwd=stale')).toBe(false);
  });

  it('looks at its own member, the last one it appended, not an upstream cache', () => {
    expect(isHitOf('edgeplane', 'upstream-cdn; hit, edgeplane; fwd=miss')).toBe(false);
    expect(isHitOf('edgeplane', ['upstream-cdn; fwd=miss', 'edgeplane; hit'])).toBe(true);
    expect(isHitOf('edgeplane', 'other; hit')).toBe(false);
  });

  it('counts a missing or malformed header as not a hit', () => {
    expect(isHitOf('edgeplane', undefined)).toBe(false);
    expect(isHitOf('edgeplane', 'edgeplane; hit=')).toBe(false);
  });
});
