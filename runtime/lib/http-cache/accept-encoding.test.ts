import { type ContentCoding, chooseEncoding } from './accept-encoding.ts';

describe('chooseEncoding (RFC 9110 §12.5.3)', () => {
  test.each<[string | undefined, readonly ContentCoding[] | undefined, ContentCoding | undefined]>([
    [undefined, undefined, 'identity'],
    ['', undefined, 'identity'],
    ['gzip', undefined, 'gzip'],
    ['br', undefined, 'br'],
    ['gzip, br', undefined, 'br'],
    ['br;q=0.5, gzip', undefined, 'gzip'],
    ['BR, GZIP', undefined, 'br'],
    ['*', undefined, 'br'],
    ['*;q=0', undefined, undefined],
    ['identity;q=0', undefined, undefined],
    ['gzip;q=0, *', undefined, 'br'],
    ['br;q=0, gzip;q=0', undefined, 'identity'],
    ['deflate', undefined, 'identity'],
    ['br', ['gzip', 'identity'], 'identity'],
    ['gzip, br', ['gzip', 'br', 'identity'], 'gzip'],
    ['gzip;q=0.001, identity;q=0.5', undefined, 'identity'],
  ])('%p among %p', (header, available, expected) => {
    const headers = header === undefined ? {} : { 'accept-encoding': header };
    expect(chooseEncoding(headers, available)).toBe(expected);
  });

  test('several field lines are combined', () => {
    expect(chooseEncoding({ 'accept-encoding': ['gzip;q=0.5', 'br;q=0.9'] })).toBe('br');
  });
});
