import { ChunkedDecoder } from './chunked-decoder.ts';
import { MalformedResponseError } from './response-head.ts';

function decode(parts: readonly string[]): { body: string; rest: string; done: boolean } {
  const decoder = new ChunkedDecoder();
  let body = '';
  let rest = '';
  for (const part of parts) {
    const chunk = Buffer.from(part, 'latin1');
    if (decoder.done) {
      rest += part;
      continue;
    }
    const end = decoder.decode(chunk, 0, (data) => {
      body += data.toString('latin1');
    });
    rest += chunk.subarray(end).toString('latin1');
  }
  return { body, rest, done: decoder.done };
}

const encoded =
  '4;ext=1;q="a b"\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nx-t: 1\r\nx-u: 2\r\n\r\n';

describe('ChunkedDecoder', () => {
  it('decodes chunks with extensions and drops trailers', () => {
    expect(decode([encoded])).toEqual({
      body: 'Wikipedia in\r\n\r\nchunks.',
      rest: '',
      done: true,
    });
  });

  it('decodes the same over one-byte reads and over every two-way split', () => {
    expect(decode([...encoded]).body).toBe('Wikipedia in\r\n\r\nchunks.');
    for (let cut = 1; cut < encoded.length; cut++) {
      expect(decode([encoded.slice(0, cut), encoded.slice(cut)])).toEqual({
        body: 'Wikipedia in\r\n\r\nchunks.',
        rest: '',
        done: true,
      });
    }
  });

  it('returns the index past the body when more follows in the same read', () => {
    expect(decode(['3\r\nabc\r\n0\r\n\r\nHTTP/1.1'])).toEqual({
      body: 'abc',
      rest: 'HTTP/1.1',
      done: true,
    });
  });

  it('accepts upper- and lower-case hex sizes', () => {
    expect(decode([`a\r\n${'x'.repeat(10)}\r\nB\r\n${'y'.repeat(11)}\r\n0\r\n\r\n`]).body).toBe(
      `${'x'.repeat(10)}${'y'.repeat(11)}`,
    );
  });

  it('is not done before the final CRLF', () => {
    expect(decode(['0\r\n']).done).toBe(false);
    expect(decode(['0\r\nx-t: 1\r\n']).done).toBe(false);
  });

  it.each([
    ['no size', '\r\nabc\r\n0\r\n\r\n'],
    ['not hex', 'g\r\nabc\r\n0\r\n\r\n'],
    ['leading space', ' 3\r\nabc\r\n0\r\n\r\n'],
    ['space after size', '3 \r\nabc\r\n0\r\n\r\n'],
    ['size line ends with LF only', '3\nabc\r\n0\r\n\r\n'],
    ['data longer than size', '3\r\nabcd\r\n0\r\n\r\n'],
    ['data not followed by CRLF', '3\r\nabc\n0\r\n\r\n'],
    ['control in extension', '3;a\x01\r\nabc\r\n0\r\n\r\n'],
    ['size past 12 hex digits', '1000000000000\r\n'],
    ['folded trailer', '0\r\n x-t: 1\r\n\r\n'],
    ['last chunk ends with LF only', '0\r\n\n'],
  ])('refuses %s', (_name, text) => {
    expect(() => decode([text])).toThrow(MalformedResponseError);
  });

  it('refuses an over-long extension and trailer section', () => {
    expect(() => decode([`1;${'a'.repeat(5000)}\r\n`])).toThrow('chunk extension too long');
    expect(() => decode([`0\r\n${'x-t: 1\r\n'.repeat(3000)}`])).toThrow('trailers too large');
  });
});
