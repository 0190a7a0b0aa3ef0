// One request head parsed by Node's own HTTP parser (llhttp, the binding node:http drives,
// reached through node:_http_common), strict as the traffic server is. The tests hold the fast
// path's own scanner (plain-request.ts) to it: whatever the scanner accepts, llhttp must accept
// and read the same way. One parser serves many heads: it is only ever given one complete head
// (up to and including the blank line); after anything unusual it is initialised afresh.

/** A request head that completed a message with no body. */
export interface RequestHead {
  /** llhttp's method number (methodGet...). */
  method: number;
  url: string;
  /** Field lines as received: name, value, name, value... (values without surrounding OWS). */
  rawHeaders: string[];
  /** llhttp's reading of persistence: HTTP/1.1 without `Connection: close`. */
  keepAlive: boolean;
  versionMinor: number;
}

/** llhttp's method numbers (llhttp.h: HTTP_GET = 1, HTTP_HEAD = 2). */
export const methodGet = 1;
export const methodHead = 2;

interface ParserBinding {
  initialize(type: number, resource: object, maxHeaderSize: number, lenientFlags: number): void;
  execute(data: Buffer): number | Error;
  [callback: number]: unknown;
}
interface ParserClass {
  new (): ParserBinding;
  REQUEST: number;
  kOnHeaders: number;
  kOnHeadersComplete: number;
  kOnBody: number;
  kOnMessageComplete: number;
}

// process.getBuiltinModule loads it alike under Node (ESM) and jest (CommonJS). The module is
// undocumented but node:http's own; its HTTPParser has had this shape since Node 12.
function loadParserClass(): ParserClass {
  const common = process.getBuiltinModule('node:_http_common') as
    | { HTTPParser?: ParserClass }
    | undefined;
  const parserClass = common?.HTTPParser;
  if (typeof parserClass !== 'function' || typeof parserClass.kOnHeadersComplete !== 'number')
    throw new Error('node:_http_common.HTTPParser is not available in this Node version');
  return parserClass;
}

/** llhttp flags: none, as the traffic server sets insecureHTTPParser: false. */
const strict = 0;

export class LlhttpHeadParser {
  private readonly parser: ParserBinding;
  private readonly maxHeaderBytes: number;
  private head: RequestHead | undefined;
  private complete = false;
  private overflow = false;
  private readonly parserClass: ParserClass;

  constructor(maxHeaderBytes: number) {
    const parserClass = loadParserClass();
    this.parserClass = parserClass;
    this.maxHeaderBytes = maxHeaderBytes;
    this.parser = new parserClass();
    this.parser[parserClass.kOnHeaders] = () => {
      // More field lines than the binding hands over at once (32): leave it to node:http.
      this.overflow = true;
    };
    this.parser[parserClass.kOnHeadersComplete] = (
      _versionMajor: number,
      versionMinor: number,
      rawHeaders: string[] | undefined,
      method: number,
      url: string | undefined,
      _statusCode: unknown,
      _statusMessage: unknown,
      upgrade: boolean,
      keepAlive: boolean,
    ) => {
      if (rawHeaders === undefined || url === undefined || upgrade) this.overflow = true;
      else this.head = { method, url, rawHeaders, keepAlive, versionMinor };
      return 0;
    };
    this.parser[parserClass.kOnBody] = () => {
      this.overflow = true;
    };
    this.parser[parserClass.kOnMessageComplete] = () => {
      this.complete = true;
    };
    this.reset();
  }

  private reset(): void {
    this.parser.initialize(this.parserClass.REQUEST, {}, this.maxHeaderBytes, strict);
  }

  /**
   * Parses `block`, which must end with the head's blank line. Undefined when llhttp refuses it,
   * or it does not make a whole message on its own (a body follows), or it is an upgrade.
   */
  parse(block: Buffer): RequestHead | undefined {
    this.head = undefined;
    this.complete = false;
    this.overflow = false;
    const parsed = this.parser.execute(block);
    const head = this.head as RequestHead | undefined;
    this.head = undefined;
    if (
      typeof parsed !== 'number' ||
      parsed !== block.length ||
      !this.complete ||
      this.overflow ||
      head === undefined ||
      !head.keepAlive
    ) {
      // Mid-message, in an error state or closed after a non-persistent message: start afresh.
      this.reset();
      return head !== undefined && this.complete && !this.overflow && parsed === block.length
        ? head
        : undefined;
    }
    return head;
  }
}
