import type { HeaderMap } from './headers.ts';
import { invalidatedUrls, isUnsafeMethod } from './invalidation.ts';

const TARGET = 'https://example.com/items/1';

describe('invalidatedUrls (RFC 9111 §4.4)', () => {
  test.each<[string, string, number, HeaderMap, string[]]>([
    ['POST 200 invalidates the target', 'POST', 200, {}, [TARGET]],
    ['PUT 204', 'PUT', 204, {}, [TARGET]],
    ['DELETE 301', 'DELETE', 301, {}, [TARGET]],
    ['unknown method is unsafe', 'PURGEME', 200, {}, [TARGET]],
    ['GET invalidates nothing', 'GET', 200, { location: '/x' }, []],
    ['HEAD, OPTIONS, TRACE invalidate nothing', 'OPTIONS', 200, {}, []],
    ['error status invalidates nothing', 'POST', 500, { location: '/x' }, []],
    ['4xx invalidates nothing', 'POST', 404, {}, []],
    ['1xx invalidates nothing', 'POST', 100, {}, []],
    [
      'relative Location on the same origin',
      'POST',
      201,
      { location: '/items/2' },
      [TARGET, 'https://example.com/items/2'],
    ],
    [
      'absolute Content-Location on the same origin',
      'PUT',
      200,
      { 'content-location': 'https://example.com/items/1?v=2' },
      [TARGET, 'https://example.com/items/1?v=2'],
    ],
    [
      'both',
      'POST',
      200,
      { location: '/a', 'content-location': '/b' },
      [TARGET, 'https://example.com/a', 'https://example.com/b'],
    ],
    ['other host ignored', 'POST', 200, { location: 'https://other.example/items/2' }, [TARGET]],
    ['other scheme ignored', 'POST', 200, { location: 'http://example.com/items/2' }, [TARGET]],
    [
      'other port ignored',
      'POST',
      200,
      { 'content-location': 'https://example.com:8443/items/2' },
      [TARGET],
    ],
    ['duplicate of the target not repeated', 'POST', 200, { location: '/items/1' }, [TARGET]],
    ['unparseable Location ignored', 'POST', 200, { location: 'http://[bad' }, [TARGET]],
  ])('%s', (_name, method, status, headers, expected) => {
    expect(invalidatedUrls(method, TARGET, status, headers).map((u) => u.href)).toEqual(expected);
  });

  test('isUnsafeMethod', () => {
    expect(['GET', 'head', 'OPTIONS', 'TRACE'].map(isUnsafeMethod)).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect(['POST', 'PUT', 'DELETE', 'PATCH', 'FOO'].map(isUnsafeMethod)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
  });
});
