// Fill locks and a key-presence count in shared memory, so a worker thread's miss can take the
// fill lock, and end it, without a round trip to the primary. Int32Arrays over SharedArrayBuffers,
// seen by the primary and every worker:
//
// - `locks`: one slot per key hash. A fill holds its key's slot (a token: owner index in the low 8
//   bits, a sequence above) until it ends: a worker that took the slot itself frees it itself
//   (end), unless someone waits on it; otherwise the primary frees it once it has the fill's store
//   or release. Every fill lock, taken here by a worker or granted by the primary, holds the slot,
//   so two leaders for one key cannot coexist. Two keys may share a slot: the second then goes the
//   slow way (the primary waits for the slot), never both at once. Two flags sit above the token:
//   - waited: the primary queued a request on the slot, so the fill must end through it (its store
//     or release wakes the waiters);
//   - complete: the fill has its whole response (markComplete, before its client's response ends).
//     A request that finds the slot held then waits only for the store, and is a hit, not
//     collapsed.
// - `presence`: how many keys the traffic threads' memory tiers and the disk tier hold, counted in
//   two slots per key (a counting Bloom filter with two probes). A key may be held only when both
//   of its slots count something. A worker takes a lock here only when one of them is 0; otherwise
//   it asks the primary, which has the object or asks the thread that holds it. One probe made a
//   new key look held whenever its one slot counted another key: with two full 128 MB tiers
//   (~60,000 keys in 2^20 slots) ~5% of misses, each a round trip to the primary or from it to a
//   worker that did not have the key; two probes make that ~1%.
// - `holders`: per key (its first presence slot), the worker thread that last counted a key there
//   (0: none). The primary's own counts leave it alone: the primary looks in its own store first
//   anyway, and a worker's copy outlives the primary's more often than not.
//
// Presence and holder are hints: wrong either way they cost a round trip or an origin fetch,
// never a wrong answer.
//
// A Bloom-like table by hand: no library shares a lock table between worker threads.

export interface FillTableBuffers {
  locks: SharedArrayBuffer;
  presence: SharedArrayBuffer;
  holders: SharedArrayBuffer;
}

const ownerBits = 8;
export const maxOwner = (1 << ownerBits) - 1;
/** A token: owner and a 22-bit sequence, in the 30 bits below the two flags. */
const tokenMask = (1 << 30) - 1;
/** Set on a held slot the primary queued a request on. */
const waitedBit = 1 << 30;
/** Set on a held slot whose fill has its whole response. */
const completeBit = 1 << 31;

export class FillTable {
  readonly buffers: FillTableBuffers;
  private readonly locks: Int32Array;
  private readonly presence: Int32Array;
  private readonly holders: Int32Array;
  private readonly lockMask: number;
  private readonly presenceMask: number;
  private sequence = 0;

  constructor(buffers: FillTableBuffers) {
    this.buffers = buffers;
    this.locks = new Int32Array(buffers.locks);
    this.presence = new Int32Array(buffers.presence);
    this.holders = new Int32Array(buffers.holders);
    this.lockMask = this.locks.length - 1;
    this.presenceMask = this.presence.length - 1;
  }

  /** Lock slots for concurrent fills; presence slots about 4 per object the store may hold. */
  static create(maxObjects: number, lockSlots = 1 << 17): FillTable {
    const presenceSlots = Math.max(1 << 16, nextPowerOfTwo(maxObjects * 4));
    return new FillTable({
      locks: new SharedArrayBuffer(4 * nextPowerOfTwo(lockSlots)),
      presence: new SharedArrayBuffer(4 * presenceSlots),
      holders: new SharedArrayBuffer(4 * presenceSlots),
    });
  }

  /** A new token for `owner` (1..255); never 0, which marks a free slot. */
  token(owner: number): number {
    this.sequence = (this.sequence + 1) & (tokenMask >>> ownerBits);
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
    if (this.mayHold(hash)) return 0;
    const token = this.token(owner);
    if (Atomics.compareExchange(this.locks, this.lockSlot(hash), 0, token) !== 0) return 0;
    // The primary counts a stored key before it frees its filler's slot. So if that free is what
    // let the take above succeed, the count is visible now, though it was 0 when read above (a
    // thread preempted between the two reads would otherwise fetch a key just stored).
    return this.mayHold(hash) ? -token : token;
  }

  /** Takes the slot of `key` for `token`; false when another fill holds it. */
  take(key: string, token: number): boolean {
    return Atomics.compareExchange(this.locks, this.lockSlot(hashKey(key)), 0, token) === 0;
  }

  /** Frees the slot of `key` if `token` still holds it; returns the slot when it did. */
  free(key: string, token: number): number | undefined {
    const slot = this.lockSlot(hashKey(key));
    for (;;) {
      const value = Atomics.load(this.locks, slot);
      if ((value & tokenMask) !== token) return undefined;
      if (Atomics.compareExchange(this.locks, slot, value, 0) === value) return slot;
    }
  }

  /**
   * A worker ends the fill it took the slot for (tryLead): frees the slot and returns true, or
   * returns false when the primary queued requests on it, whose store or release must wake them.
   * True too when the slot is no longer the fill's (the primary freed it: its owner was thought dead).
   */
  end(key: string, token: number): boolean {
    const slot = this.lockSlot(hashKey(key));
    for (;;) {
      const value = Atomics.load(this.locks, slot);
      if ((value & tokenMask) !== token) return true;
      if ((value & waitedBit) !== 0) return false;
      if (Atomics.compareExchange(this.locks, slot, value, 0) === value) return true;
    }
  }

  /**
   * The primary queues a request on the slot of `key`: flags it so its fill ends through the
   * primary. False when the slot is free (its fill ended meanwhile: look again).
   */
  markWaited(key: string): boolean {
    return this.flag(this.lockSlot(hashKey(key)), waitedBit, undefined);
  }

  /** The fill holding `key`'s slot with `token` has its whole response; nothing if it lost it. */
  markComplete(key: string, token: number): void {
    this.flag(this.lockSlot(hashKey(key)), completeBit, token);
  }

  /** The slot of `key`: whether some fill holds it, and whether that fill has its whole response. */
  slotOf(key: string): { slot: number; held: boolean; complete: boolean } {
    const slot = this.lockSlot(hashKey(key));
    const value = Atomics.load(this.locks, slot);
    return { slot, held: value !== 0, complete: (value & completeBit) !== 0 };
  }

  /** Sets `bit` on a held slot (held with `token`, when given); false when it is not held so. */
  private flag(slot: number, bit: number, token: number | undefined): boolean {
    for (;;) {
      const value = Atomics.load(this.locks, slot);
      if (value === 0 || (token !== undefined && (value & tokenMask) !== token)) return false;
      if (Atomics.compareExchange(this.locks, slot, value, value | bit) === value) return true;
    }
  }

  /** Frees every slot `owner` holds (its thread died); returns those slots. */
  freeOwner(owner: number): number[] {
    const freed: number[] = [];
    for (let slot = 0; slot < this.locks.length; slot++) {
      const value = Atomics.load(this.locks, slot);
      if (value !== 0 && (value & maxOwner) === owner) {
        if (Atomics.compareExchange(this.locks, slot, value, 0) === value) freed.push(slot);
      }
    }
    return freed;
  }

  /**
   * A tier now holds `key` (+1) or no longer does (-1). `holder`: the worker thread whose memory
   * tier it is (0: the primary's store, memory or disk, which is not recorded); a worker is
   * recorded on +1 before the count, so whoever sees the count sees the holder.
   */
  countPresence(key: string, delta: 1 | -1, holder = 0): void {
    const hash = hashKey(key);
    const first = this.firstProbe(hash);
    if (delta === 1 && holder !== 0) Atomics.store(this.holders, first, holder);
    Atomics.add(this.presence, first, delta);
    Atomics.add(this.presence, this.secondProbe(hash), delta);
  }

  /**
   * The worker thread that last counted a key in `key`'s first slot, while both of its slots count
   * one (0: none).
   */
  holderOf(key: string): number | undefined {
    const hash = hashKey(key);
    return this.mayHold(hash) ? Atomics.load(this.holders, this.firstProbe(hash)) : undefined;
  }

  /** Whether a key of this hash may be held: both of its presence slots count a key. */
  private mayHold(hash: number): boolean {
    return (
      Atomics.load(this.presence, this.firstProbe(hash)) > 0 &&
      Atomics.load(this.presence, this.secondProbe(hash)) > 0
    );
  }

  // FNV-1a's low bits mix poorly, so each probe takes the hash through a different finaliser
  // (MurmurHash3's fmix32, and the same after an odd constant is added) before the mask.
  private firstProbe(hash: number): number {
    return mix32(hash) & this.presenceMask;
  }

  private secondProbe(hash: number): number {
    return mix32((hash + 0x9e3779b9) | 0) & this.presenceMask;
  }

  private lockSlot(hash: number): number {
    // Other bits than presence's, so keys that share a presence slot rarely share a lock slot.
    return ((hash >>> 16) | (hash << 16)) & this.lockMask;
  }
}

/** MurmurHash3's 32-bit finaliser: every bit of the input moves about half of the output's. */
function mix32(value: number): number {
  let mixed = value ^ (value >>> 16);
  mixed = Math.imul(mixed, 0x85ebca6b);
  mixed ^= mixed >>> 13;
  mixed = Math.imul(mixed, 0xc2b2ae35);
  return (mixed ^ (mixed >>> 16)) >>> 0;
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
