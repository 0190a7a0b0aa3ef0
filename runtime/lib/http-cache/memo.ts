/**
 * A bounded string-keyed memo for parse results on the hit path. Header values repeat heavily
 * (one Cache-Control, Date or Accept-Encoding string is seen on thousands of requests), so
 * parsing each distinct string once saves most of the per-request cost. When full the memo is
 * cleared rather than evicting one by one: client-controlled values cannot grow it past `max`,
 * and a clear costs one re-parse per live value. Cached results are shared: they are readonly.
 */
export class BoundedMemo<V> {
  private readonly entries = new Map<string, V>();
  private readonly max: number;

  constructor(max = 2048) {
    this.max = max;
  }

  get(key: string, compute: (key: string) => V): V {
    const hit = this.entries.get(key);
    if (hit !== undefined || this.entries.has(key)) return hit as V;
    const value = compute(key);
    if (this.entries.size >= this.max) this.entries.clear();
    this.entries.set(key, value);
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}
