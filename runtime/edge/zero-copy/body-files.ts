// The sealed memfd copies of the large bodies fast hits send with sendfile, one per body, made on
// a body's first fast hit and held within a byte budget per traffic thread, least recently sent
// closed first (a closed file's pages stay valid for the sends TCP still holds).
import type { ZeroCopy } from './index.ts';

/** Bodies at least this large are sent from a file; smaller ones go out as one write. */
export const sendFileMinBytes = 64 * 1024;
/** Bytes of body files a traffic thread holds, on top of the cache's own bytes. */
export const bodyFilesBudgetBytes = 32 * 1024 * 1024;

export class BodyFiles {
  /** Body to its file; Map order is the order of last use, least recent first. */
  readonly #files = new Map<Buffer, number>();
  #bytes = 0;
  readonly addon: ZeroCopy;
  readonly budgetBytes: number;

  constructor(addon: ZeroCopy, budgetBytes = bodyFilesBudgetBytes) {
    this.addon = addon;
    this.budgetBytes = budgetBytes;
  }

  /** The file holding `body`, made now if none is held; undefined when none can be made. */
  fileOf(body: Buffer): number | undefined {
    const held = this.#files.get(body);
    if (held !== undefined) {
      this.#files.delete(body);
      this.#files.set(body, held);
      return held;
    }
    if (body.length > this.budgetBytes) return undefined;
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
