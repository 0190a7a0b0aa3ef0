import fc from 'fast-check';
import { type SseMessage, SseParser } from './sse-parser.ts';

function parse(chunks: string[]) {
  const messages: SseMessage[] = [];
  const comments: string[] = [];
  const retries: number[] = [];
  const parser = new SseParser({
    onMessage: (message) => messages.push(message),
    onComment: (text) => comments.push(text),
    onRetry: (ms) => retries.push(ms),
  });
  for (const chunk of chunks) parser.push(chunk);
  return { messages, comments, retries };
}

describe('SseParser', () => {
  it('reads id, event, multi-line data, retry and comments', () => {
    const { messages, comments, retries } = parse([
      'retry: 1000\n\n: heartbeat\n\nid: 7\nevent: purge\ndata: {"a":1}\ndata: second\n\n',
    ]);
    expect(retries).toEqual([1000]);
    expect(comments).toEqual(['heartbeat']);
    expect(messages).toEqual([{ id: '7', event: 'purge', data: '{"a":1}\nsecond' }]);
  });

  it('keeps the last id for later events without one, and ignores blocks without data', () => {
    const { messages } = parse(['id: 3\n\ndata: x\n\n']);
    expect(messages).toEqual([{ id: '3', event: 'message', data: 'x' }]);
  });

  it('gives the same messages however the stream is split, with LF, CR or CRLF line ends', () => {
    const stream =
      'id: 1\nevent: a\ndata: one\n\nid: 2\r\ndata: two\r\n\r\n: hb\rid: 3\rdata: three\r\r';
    const whole = parse([stream]).messages;
    expect(whole.map((message) => message.data)).toEqual(['one', 'two', 'three']);
    fc.assert(
      fc.property(fc.array(fc.nat(stream.length), { maxLength: 8 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const chunks: string[] = [];
        let from = 0;
        for (const point of points) {
          chunks.push(stream.slice(from, point));
          from = point;
        }
        chunks.push(stream.slice(from));
        expect(parse(chunks).messages).toEqual(whole);
      }),
    );
  });
});
