import { serialiseRequest } from './request-head.ts';

describe('serialiseRequest', () => {
  it('writes the request line and the fields as given, in one latin1 buffer', () => {
    const request = serialiseRequest('GET', '/a?b=\xe9', ['host', 'o.test', 'X-A', 'v\xe9'], false);
    expect(request.head.toString('latin1')).toBe(
      'GET /a?b=\xe9 HTTP/1.1\r\nhost: o.test\r\nX-A: v\xe9\r\n\r\n',
    );
    expect(request.bodyFraming).toBe('none');
  });

  it('frames a body chunked without a Content-Length, as given with one', () => {
    const chunked = serialiseRequest('POST', '/', ['host', 'h'], true);
    expect(chunked.bodyFraming).toBe('chunked');
    expect(chunked.head.toString()).toContain('\r\ntransfer-encoding: chunked\r\n\r\n');
    const length = serialiseRequest('POST', '/', ['host', 'h', 'Content-Length', '12'], true);
    expect([length.bodyFraming, length.contentLength]).toEqual(['length', 12]);
    expect(length.head.toString()).not.toContain('transfer-encoding');
  });

  it('sends content-length: 0 for a bodiless POST, nothing for a bodiless GET', () => {
    expect(serialiseRequest('POST', '/', ['host', 'h'], false).head.toString()).toContain(
      'content-length: 0\r\n',
    );
    expect(serialiseRequest('GET', '/', ['host', 'h'], false).head.toString()).not.toContain(
      'content-length',
    );
  });

  it('leaves out the caller’s content-length when no body is sent, as undici does', () => {
    const get = serialiseRequest('GET', '/', ['host', 'h', 'content-length', '3'], false);
    expect(get.head.toString()).toBe('GET / HTTP/1.1\r\nhost: h\r\n\r\n');
    const post = serialiseRequest('POST', '/', ['host', 'h', 'content-length', '3'], false);
    expect(post.head.toString()).toBe('POST / HTTP/1.1\r\nhost: h\r\ncontent-length: 0\r\n\r\n');
  });

  it.each([
    ['CRLF in a value', 'GET', '/', ['x-a', 'a\r\nx-b: 1']],
    ['LF in a value', 'GET', '/', ['x-a', 'a\nb']],
    ['NUL in a value', 'GET', '/', ['x-a', 'a\0b']],
    ['a value past latin1', 'GET', '/', ['x-a', 'a\u2028']],
    ['a name with a space', 'GET', '/', ['x a', '1']],
    ['a name with a colon', 'GET', '/', ['x:a', '1']],
    ['a space in the path', 'GET', '/a b', []],
    ['CRLF in the path', 'GET', '/a\r\n', []],
    ['an empty path', 'GET', '', []],
    ['a method with a space', 'G T', '/', []],
    ['CONNECT', 'CONNECT', 'h:443', []],
    ['transfer-encoding from the caller', 'POST', '/', ['Transfer-Encoding', 'chunked']],
    ['connection from the caller', 'GET', '/', ['connection', 'close']],
    ['differing content-lengths', 'POST', '/', ['content-length', '1', 'content-length', '2']],
  ])('refuses %s', (_name, method, path, fields) => {
    expect(() => serialiseRequest(method, path, ['host', 'h', ...fields], false)).toThrow(
      TypeError,
    );
  });
});
