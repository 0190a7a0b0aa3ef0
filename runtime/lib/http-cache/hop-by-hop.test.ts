import type { HeaderMap } from './headers.ts';
import { stripHopByHop } from './hop-by-hop.ts';

describe('stripHopByHop', () => {
  test.each<[string, HeaderMap, Record<string, unknown>]>([
    [
      'fixed list',
      {
        connection: 'keep-alive',
        'keep-alive': 'timeout=5',
        'proxy-connection': 'keep-alive',
        te: 'trailers',
        trailer: 'x-t',
        'transfer-encoding': 'chunked',
        upgrade: 'h2c',
        'proxy-authorization': 'Basic eDp5',
        'content-type': 'text/plain',
      },
      { 'content-type': 'text/plain' },
    ],
    [
      'fields named in Connection',
      { connection: 'X-Secret, close', 'x-secret': '1', 'x-kept': '2' },
      { 'x-kept': '2' },
    ],
    [
      'Connection on several lines',
      { connection: ['x-a', 'x-b'], 'x-a': '1', 'x-b': '2', 'x-c': '3' },
      { 'x-c': '3' },
    ],
    [
      'numbers and arrays copied',
      { 'content-length': 5, 'set-cookie': ['a=1', 'b=2'], skip: undefined },
      { 'content-length': 5, 'set-cookie': ['a=1', 'b=2'] },
    ],
  ])('%s', (_name, headers, expected) => {
    expect(stripHopByHop(headers)).toEqual(expected);
  });

  test('the input is not modified', () => {
    const headers = { connection: 'x-a', 'x-a': '1' };
    stripHopByHop(headers);
    expect(headers).toEqual({ connection: 'x-a', 'x-a': '1' });
  });
});
