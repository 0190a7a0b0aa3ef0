// An incremental decoder for the chunked transfer coding (RFC 9112 §7.1) over reads split
// anywhere. Chunk data is handed on as views of the reads (no copy); chunk extensions are
// skipped; trailer fields are read and dropped. Strict: hex sizes without whitespace, CRLF line
// ends only, size and line limits; anything else throws MalformedResponseError.
import { MalformedResponseError } from './response-head.ts';

const states = {
  size: 0,
  extension: 1,
  sizeLf: 2,
  data: 3,
  dataCr: 4,
  dataLf: 5,
  trailerStart: 6,
  trailerLine: 7,
  trailerLf: 8,
  endLf: 9,
  done: 10,
} as const;
type State = (typeof states)[keyof typeof states];

/** Hex digits of a chunk size at most: 12 digits are 256 TiB, past any body we would carry. */
const maxSizeDigits = 12;
/** A chunk-size line with its extensions, and all trailer lines together. */
const maxLineBytes = 4096;
const maxTrailerBytes = 16 * 1024;

export class ChunkedDecoder {
  private state: State = states.size;
  private size = 0;
  private sizeDigits = 0;
  private remaining = 0;
  private lineBytes = 0;
  private trailerBytes = 0;

  /** True once the last chunk and the trailer section have been read. */
  get done(): boolean {
    return this.state === states.done;
  }

  /**
   * Decodes `chunk` from `start`, calling onData with each piece of chunk data. Returns the index
   * just past the end of the body when it ended inside this read, else chunk.length.
   */
  decode(chunk: Buffer, start: number, onData: (data: Buffer) => void): number {
    let i = start;
    const length = chunk.length;
    while (i < length) {
      switch (this.state) {
        case states.data: {
          const take = Math.min(this.remaining, length - i);
          onData(chunk.subarray(i, i + take));
          i += take;
          this.remaining -= take;
          if (this.remaining === 0) this.state = states.dataCr;
          break;
        }
        case states.size: {
          const byte = chunk[i++] as number;
          const digit = hexValue(byte);
          if (digit >= 0) {
            if (++this.sizeDigits > maxSizeDigits) throw malformed('chunk size too large');
            this.size = this.size * 16 + digit;
          } else if (this.sizeDigits === 0) {
            throw malformed('bad chunk size');
          } else if (byte === 13) {
            this.state = states.sizeLf;
          } else if (byte === 59) {
            this.state = states.extension; // ';'
            this.lineBytes = this.sizeDigits + 1;
          } else {
            throw malformed('bad chunk size');
          }
          break;
        }
        case states.extension: {
          const byte = chunk[i++] as number;
          if (byte === 13) this.state = states.sizeLf;
          else if ((byte < 32 && byte !== 9) || byte === 127)
            throw malformed('bad chunk extension');
          else if (++this.lineBytes > maxLineBytes) throw malformed('chunk extension too long');
          break;
        }
        case states.sizeLf: {
          if (chunk[i++] !== 10) throw malformed('bad chunk size line end');
          if (this.size === 0) {
            this.state = states.trailerStart;
          } else {
            this.remaining = this.size;
            this.state = states.data;
          }
          this.size = 0;
          this.sizeDigits = 0;
          break;
        }
        case states.dataCr: {
          if (chunk[i++] !== 13) throw malformed('chunk data longer than its size');
          this.state = states.dataLf;
          break;
        }
        case states.dataLf: {
          if (chunk[i++] !== 10) throw malformed('bad chunk data end');
          this.state = states.size;
          break;
        }
        case states.trailerStart: {
          const byte = chunk[i++] as number;
          if (byte === 13) {
            this.state = states.endLf;
          } else {
            // A trailer field line: read to its end and drop it.
            if (byte === 10 || byte === 32 || byte === 9) throw malformed('bad trailer');
            this.trailerBytes++;
            this.state = states.trailerLine;
          }
          break;
        }
        case states.trailerLine: {
          const byte = chunk[i++] as number;
          if (++this.trailerBytes > maxTrailerBytes) throw malformed('trailers too large');
          if (byte === 13) this.state = states.trailerLf;
          else if (byte === 10 || byte === 0) throw malformed('bad trailer');
          break;
        }
        case states.trailerLf: {
          if (chunk[i++] !== 10) throw malformed('bad trailer line end');
          this.state = states.trailerStart;
          break;
        }
        case states.endLf: {
          if (chunk[i++] !== 10) throw malformed('bad last chunk end');
          this.state = states.done;
          return i;
        }
        default:
          return i;
      }
    }
    return i;
  }
}

function hexValue(byte: number): number {
  if (byte >= 48 && byte <= 57) return byte - 48;
  const lower = byte | 32;
  if (lower >= 97 && lower <= 102) return lower - 87;
  return -1;
}

function malformed(message: string): MalformedResponseError {
  return new MalformedResponseError(message);
}
