import { MalformedResponseError, ResponseHeadScanner } from './response-head.ts';

const head = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-A:  spaced \t\r\n\r\n';

describe('ResponseHeadScanner', () => {
  it('returns the head and the index just past it', () => {
    const chunk = Buffer.from(`${head}body`, 'latin1');
    const scanned = new ResponseHeadScanner().push(chunk);
    expect(scanned?.head).toEqual({
      versionMinor: 1,
      status: 200,
      reason: 'OK',
      headers: { 'content-type': 'text/plain', 'x-a': 'spaced' },
    });
    expect(chunk.subarray(scanned?.next).toString()).toBe('body');
  });

  it('gives the same head for every split of the input into two reads', () => {
    const whole = Buffer.from(`${head}rest`, 'latin1');
    const expected = new ResponseHeadScanner().push(whole)?.head;
    for (let cut = 1; cut < head.length; cut++) {
      const scanner = new ResponseHeadScanner();
      expect(scanner.push(whole.subarray(0, cut))).toBeUndefined();
      const second = whole.subarray(cut);
      const scanned = scanner.push(second);
      expect(scanned?.head).toEqual(expected);
      expect(second.subarray(scanned?.next).toString()).toBe('rest');
    }
  });

  it('starts reading at the given offset (a final head after an interim one)', () => {
    const interim = 'HTTP/1.1 103 Early Hints\r\nlink: </a>\r\n\r\n';
    const chunk = Buffer.from(`${interim}${head}`, 'latin1');
    const scanner = new ResponseHeadScanner();
    const first = scanner.push(chunk);
    expect(first?.head.status).toBe(103);
    const second = scanner.push(chunk, first?.next);
    expect(second?.head.status).toBe(200);
    expect(second?.next).toBe(chunk.length);
  });

  it.each([
    ['HTTP/1.1 200\r\n\r\n', 200, ''],
    ['HTTP/1.0 404 Not Found\r\n\r\n', 404, 'Not Found'],
    ['HTTP/1.1 599 \xe9t\xe9\r\n\r\n', 599, '\xe9t\xe9'],
  ])('reads the status line %j', (text, status, reason) => {
    const scanned = new ResponseHeadScanner().push(Buffer.from(text, 'latin1'));
    expect([scanned?.head.status, scanned?.head.reason]).toEqual([status, reason]);
  });

  it.each([
    ['lower-case version', 'http/1.1 200 OK\r\n\r\n'],
    ['HTTP/1.2', 'HTTP/1.2 200 OK\r\n\r\n'],
    ['status 099', 'HTTP/1.1 099 OK\r\n\r\n'],
    ['four-digit status', 'HTTP/1.1 2000 OK\r\n\r\n'],
    ['two spaces', 'HTTP/1.1  200 OK\r\n\r\n'],
    ['short status', 'HTTP/1.1 20\r\n\r\n'],
    ['letter in status', 'HTTP/1.1 2x0 OK\r\n\r\n'],
    ['tab after status', 'HTTP/1.1 200\tOK\r\n\r\n'],
    ['no space after version', 'HTTP/1.1200 OK\r\n\r\n'],
    ['control in reason', 'HTTP/1.1 200 O\x01K\r\n\r\n'],
    ['blank line first', '\r\nHTTP/1.1 200 OK\r\n\r\n'],
    ['tab before colon', 'HTTP/1.1 200 OK\r\nx-a\t: 1\r\n\r\n'],
    ['empty name', 'HTTP/1.1 200 OK\r\n: 1\r\n\r\n'],
    ['obs-fold with tab', 'HTTP/1.1 200 OK\r\nx-a: 1\r\n\tmore\r\n\r\n'],
    ['DEL in value', 'HTTP/1.1 200 OK\r\nx-a: a\x7fb\r\n\r\n'],
    ['obs-fold with space', 'HTTP/1.1 200 OK\r\nx-a: 1\r\n more\r\n\r\n'],
    ['line without a colon', 'HTTP/1.1 200 OK\r\nx-a\r\n\r\n'],
    ['space in name', 'HTTP/1.1 200 OK\r\nx a: 1\r\n\r\n'],
    ['obs-text in name', 'HTTP/1.1 200 OK\r\nx\xe9: 1\r\n\r\n'],
    ['bare LF in value', 'HTTP/1.1 200 OK\r\nx-a: 1\nx-b: 2\r\n\r\n'],
    ['bare CR in value', 'HTTP/1.1 200 OK\r\nx-a: 1\rx-b: 2\r\n\r\n'],
    ['bare LF after the status line', 'HTTP/1.1 200 OK\nx-a: 1\r\n\r\n'],
    ['NUL in value', 'HTTP/1.1 200 OK\r\nx-a: a\x00b\r\n\r\n'],
  ])('refuses %s', (_name, text) => {
    expect(() => new ResponseHeadScanner().push(Buffer.from(text, 'latin1'))).toThrow(
      MalformedResponseError,
    );
  });

  it('refuses a head past the size limit even before its end arrives', () => {
    const scanner = new ResponseHeadScanner({ maxHeadBytes: 100, maxFields: 10 });
    expect(scanner.push(Buffer.from('HTTP/1.1 200 OK\r\n'))).toBeUndefined();
    expect(() => scanner.push(Buffer.from(`x-a: ${'a'.repeat(100)}`))).toThrow('head too large');
  });

  it('refuses more fields than the limit', () => {
    const scanner = new ResponseHeadScanner({ maxHeadBytes: 1000, maxFields: 2 });
    expect(() =>
      scanner.push(Buffer.from('HTTP/1.1 200 OK\r\na: 1\r\nb: 2\r\nc: 3\r\n\r\n')),
    ).toThrow('too many fields');
  });
});

describe('the field record', () => {
  const headersOf = (fields: string) =>
    new ResponseHeadScanner().push(Buffer.from(`HTTP/1.1 200 OK\r\n${fields}\r\n`, 'latin1'))?.head
      .headers;

  it('gathers repeated names into arrays in order, like undici', () => {
    expect(headersOf('a: 1\r\nB: 2\r\nA: 3\r\na: 4\r\n')).toEqual({ a: ['1', '3', '4'], b: '2' });
  });

  it('keeps a field named __proto__ as an own property', () => {
    const record = headersOf('__proto__: x\r\n__Proto__: y\r\n') ?? {};
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(record, '__proto__')?.value).toEqual(['x', 'y']);
  });
});
