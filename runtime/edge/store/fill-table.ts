// Fill locks and a key-presence count in shared memory, so a worker thread's miss can take the
// fill lock without a round trip to the primary. Two Int32Arrays over SharedArrayBuffers, seen by
// the primary and every worker:
//
// - `locks`: one slot per key hash. A fill holds its key's slot (a token: owner index in the low 8
//   bits, a sequence above) from the lock until the primary has processed its store or release.
//   Every fill lock, taken here by a worker or granted by the primary, holds the slot, so two
//   leaders for one key cannot coexist. Two keys may share a slot: the second then goes the slow
//   way (the primary waits for the slot), never both at once. A fill that has its whole response
//   sets the slot's top bit (markComplete) before its client's response ends: a request that then
//   finds the slot held waits only for the store to reach the primary, and is a hit, not collapsed.
// - `presence`: per key hash, how many keys the primary's shared store (memory or disk) holds. A
//   worker takes a lock here only when the count is 0; otherwise it asks the primary, which may
//   have the object. The count is a hint: wrong either way it costs a round trip or an origin
//   fetch, never a wrong answer.
//
// A Bloom-like table by hand: no library shares a lock table between worker threads.

export interface FillTableBuffers {
  locks: SharedArrayBuffer;
  presence: SharedArrayBuffer;
}

const ownerBits = 8;
export const maxOwner = (1 << ownerBits) - 1;
/** Set on a held slot whose fill has its whole response (tokens use the 31 bits below it). */
const completeBit = 1 << 31;

export class FillTable {
  readonly buffers: FillTableBuffers;
  private readonly locks: Int32Array;
  private readonly presence: Int32Array;
  private readonly lockMask: number;
  private readonly presenceMask: number;
  private sequence = 0;

  constructor(buffers: FillTableBuffers) {
    this.buffers = buffers;
    this.locks = new Int32Array(buffers.locks);
    this.presence = new Int32Array(buffers.presence);
    this.lockMask = this.locks.length - 1;
    this.presenceMask = this.presence.length - 1;
  }

  /** Lock slots for concurrent fills; presence slots about 4 per object the store may hold. */
  static create(maxObjects: number, lockSlots = 1 << 17): FillTable {
    const presenceSlots = Math.max(1 << 16, nextPowerOfTwo(maxObjects * 4));
    return new FillTable({
      locks: new SharedArrayBuffer(4 * nextPowerOfTwo(lockSlots)),
      presence: new SharedArrayBuffer(4 * presenceSlots),
    });
  }

  /** A new token for `owner` (1..255); never 0, which marks a free slot. */
  token(owner: number): number {
    this.sequence = (this.sequence + 1) & 0x7fffff;
    return (this.sequence << ownerBits) | owner;
  }

  /**
   * The fast path of a worker's miss: the lock for `key` when the shared store holds no key of
   * its hash and no fill holds its slot. Returns
   * - the token (> 0) to hand back with the store or release;
   * - 0: ask the primary;
   * - minus the token: the key was stored just as the slot was taken. Hand the token back to the
   *   primary (SharedStore.freeSlot, which wakes whoever waits on the slot), then ask it for the
   *   object.
   */
  tryLead(key: string, owner: number): number {
    const hash = hashKey(key);
    const presence = hash & this.presenceMask;
    if (Atomics.load(this.presence, presence) !== 0) return 0;
    const token = this.token(owner);
    if (Atomics.compareExchange(this.locks, this.lockSlot(hash), 0, token) !== 0) return 0;
    // The primary counts a stored key before it frees its filler's slot. So if that free is what
    // let the take above succeed, the count is visible now, though it was 0 when read above (a
    // thread preempted between the two reads would otherwise fetch a key just stored).
    return Atomics.load(this.presence, presence) === 0 ? token : -token;
  }

  /** Takes the slot of `key` for `token`; false when another fill holds it. */
  take(key: string, token: number): boolean {
    return Atomics.compareExchange(this.locks, this.lockSlot(hashKey(key)), 0, token) === 0;
  }

  /** Frees the slot of `key` if `token` still holds it; returns the slot when it did. */
  free(key: string, token: number): number | undefined {
    const slot = this.lockSlot(hashKey(key));
    if (Atomics.compareExchange(this.locks, slot, token, 0) === token) return slot;
    const complete = token | completeBit;
    return Atomics.compareExchange(this.locks, slot, complete, 0) === complete ? slot : undefined;
  }

  /** The fill holding `key`'s slot with `token` has its whole response; nothing if it lost it. */
  markComplete(key: string, token: number): void {
    Atomics.compareExchange(this.locks, this.lockSlot(hashKey(key)), token, token | completeBit);
  }

  /** The slot of `key`: whether some fill holds it, and whether that fill has its whole response. */
  slotOf(key: string): { slot: number; held: boolean; complete: boolean } {
    const slot = this.lockSlot(hashKey(key));
    const value = Atomics.load(this.locks, slot);
    return { slot, held: value !== 0, complete: (value & completeBit) !== 0 };
  }

  /** Frees every slot `owner` holds (its thread died); returns those slots. */
  freeOwner(owner: number): number[] {
    const freed: number[] = [];
    for (let slot = 0; slot < this.locks.length; slot++) {
      const token = Atomics.load(this.locks, slot);
      if (token !== 0 && (token & maxOwner) === owner) {
        if (Atomics.compareExchange(this.locks, slot, token, 0) === token) freed.push(slot);
      }
    }
    return freed;
  }

  /** The shared store now holds `key` (+1) or no longer does (-1). */
  countPresence(key: string, delta: 1 | -1): void {
    Atomics.add(this.presence, hashKey(key) & this.presenceMask, delta);
  }

  private lockSlot(hash: number): number {
    // Other bits than presence's, so keys that share a presence slot rarely share a lock slot.
    return ((hash >>> 16) | (hash << 16)) & this.lockMask;
  }
}

/** 32-bit FNV-1a over the key's UTF-16 code units. */
export function hashKey(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function nextPowerOfTwo(value: number): number {
  let power = 1;
  while (power < value) power *= 2;
  return power;
}
