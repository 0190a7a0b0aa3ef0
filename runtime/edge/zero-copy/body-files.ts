// The sealed memfd copies of the large bodies fast hits send with sendfile, one per body, held
// within a byte budget per traffic thread, least recently sent closed first (a closed file's pages
// stay valid for the sends TCP still holds). A body gets its file on its second fast hit: making
// one costs a copy, a memfd_create and later a close, more than the write it replaces, so bodies
// hit once (a long tail) are written. Seen bodies are remembered weakly, as long as they live.
import type { ZeroCopy } from './index.ts';

/** Bodies at least this large are sent from a file; smaller ones go out as one write. */
export const sendFileMinBytes = 64 * 1024;
/**
 * Bytes of body files a traffic thread holds, on top of the cache's own bytes: half of what its
 * hits may hold in copies (fast-hit/hit-response.ts hitCopiesBudgetBytes), the joined head+body
 * buffers of smaller bodies the other half, so zero-copy sends add no memory.
 */
export const bodyFilesBudgetBytes = 16 * 1024 * 1024;

export class BodyFiles {
  /** Body to its file; Map order is the order of last use, least recent first. */
  readonly #files = new Map<Buffer, number>();
  readonly #seen = new WeakSet<Buffer>();
  #bytes = 0;
  readonly addon: ZeroCopy;
  readonly budgetBytes: number;

  constructor(addon: ZeroCopy, budgetBytes = bodyFilesBudgetBytes) {
    this.addon = addon;
    this.budgetBytes = budgetBytes;
  }

  /**
   * The file holding `body`, made now if none is held and the body was asked for before;
   * undefined for its first time and when none can be made (the hit is written).
   */
  fileOf(body: Buffer): number | undefined {
    const held = this.#files.get(body);
    if (held !== undefined) {
      this.#files.delete(body);
      this.#files.set(body, held);
      return held;
    }
    if (body.length > this.budgetBytes) return undefined;
    if (!this.#seen.has(body)) {
      this.#seen.add(body);
      return undefined;
    }
    for (const [oldest, fd] of this.#files) {
      if (this.#bytes + body.length <= this.budgetBytes) break;
      this.#close(oldest, fd);
    }
    const fd = this.addon.bodyFile(body);
    // Out of file descriptors or memory: this hit is written instead.
    if (fd < 0) return undefined;
    this.#files.set(body, fd);
    this.#bytes += body.length;
    return fd;
  }

  /** Bytes of the bodies held as files now. */
  get bytes(): number {
    return this.#bytes;
  }

  get count(): number {
    return this.#files.size;
  }

  /** Closes every file (the server closed). */
  clear(): void {
    for (const [body, fd] of this.#files) this.#close(body, fd);
  }

  #close(body: Buffer, fd: number): void {
    this.#files.delete(body);
    this.#bytes -= body.length;
    this.addon.close(fd);
  }
}
