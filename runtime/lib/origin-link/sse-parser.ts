// Server-Sent Events parsing per the WHATWG HTML "event stream interpretation" rules (fields id,
// event, data, retry; comments; CR, LF or CRLF line ends). Hand-written: the maintained parser
// (eventsource-parser) ships as ESM only, which jest cannot load here, and the rules are short.

export interface SseMessage {
  id: string | undefined;
  event: string;
  data: string;
}

export interface SseParserCallbacks {
  onMessage(message: SseMessage): void;
  onRetry?(ms: number): void;
  /** Comment lines (heartbeats). */
  onComment?(text: string): void;
}

export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private event = '';
  private id: string | undefined;
  private sawData = false;
  private afterCr = false;
  private readonly callbacks: SseParserCallbacks;

  constructor(callbacks: SseParserCallbacks) {
    this.callbacks = callbacks;
  }

  /** Feeds decoded text; complete lines are interpreted, a partial line waits for the rest. */
  push(chunk: string): void {
    if (chunk === '') return;
    // A CR that ended the previous chunk may be the first half of a CRLF split across chunks.
    if (this.afterCr && chunk.startsWith('\n')) chunk = chunk.slice(1);
    this.afterCr = false;
    this.buffer += chunk;
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      if (!match) return;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      if (match[0] === '\r' && this.buffer === '') this.afterCr = true;
      this.line(line);
    }
  }

  private line(line: string): void {
    if (line === '') {
      this.dispatch();
      return;
    }
    if (line.startsWith(':')) {
      this.callbacks.onComment?.(line.slice(1).trimStart());
      return;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        this.data.push(value);
        this.sawData = true;
        break;
      case 'event':
        this.event = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.id = value;
        break;
      case 'retry':
        if (/^[0-9]+$/.test(value)) this.callbacks.onRetry?.(Number(value));
        break;
    }
  }

  private dispatch(): void {
    if (this.sawData) {
      this.callbacks.onMessage({
        id: this.id,
        event: this.event || 'message',
        data: this.data.join('\n'),
      });
    }
    this.data = [];
    this.event = '';
    this.sawData = false;
  }
}
