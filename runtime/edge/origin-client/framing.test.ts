import { responseFraming } from './framing.ts';
import { MalformedResponseError, type ResponseHead, ResponseHeadScanner } from './response-head.ts';

/** The head the scanner reads for a status line and [name, value, ...] field lines. */
function head(status: number, fields: string[], versionMinor = 1): ResponseHead {
  let text = `HTTP/1.${versionMinor} ${status} X\r\n`;
  for (let i = 0; i < fields.length; i += 2) text += `${fields[i]}: ${fields[i + 1]}\r\n`;
  const scanned = new ResponseHeadScanner().push(Buffer.from(`${text}\r\n`, 'latin1'));
  if (scanned === undefined) throw new Error('incomplete head');
  return scanned.head;
}

describe('responseFraming (RFC 9112 §6.3)', () => {
  it.each([
    ['HEAD', 200, ['content-length', '10'], { kind: 'none' }, false],
    ['GET', 204, ['content-length', '10'], { kind: 'none' }, true],
    ['GET', 304, ['transfer-encoding', 'chunked'], { kind: 'none' }, true],
    ['GET', 103, [], { kind: 'none' }, true],
    ['GET', 200, ['transfer-encoding', 'Chunked'], { kind: 'chunked' }, true],
    ['GET', 200, ['content-length', '10'], { kind: 'length', length: 10 }, true],
    [
      'GET',
      200,
      ['content-length', '7, 7', 'content-length', '7'],
      { kind: 'length', length: 7 },
      true,
    ],
    ['GET', 200, ['content-length', '007'], { kind: 'length', length: 7 }, true],
    ['GET', 200, [], { kind: 'close' }, false],
    ['GET', 200, ['transfer-encoding', 'gzip'], { kind: 'close' }, false],
    ['GET', 200, ['transfer-encoding', 'gzip, chunked'], { kind: 'chunked' }, true],
    [
      'GET',
      200,
      ['content-length', '1', 'connection', 'keep-alive, Close'],
      { kind: 'length', length: 1 },
      false,
    ],
  ] as const)('%s → %i %j', (method, status, fields, body, reusable) => {
    const framing = responseFraming(head(status, [...fields]), method);
    expect(framing.body).toEqual(body);
    expect(framing.reusable).toBe(reusable);
  });

  it('does not reuse HTTP/1.0 connections', () => {
    expect(responseFraming(head(200, ['content-length', '1'], 0), 'GET').reusable).toBe(false);
  });

  it('reads the Keep-Alive timeout', () => {
    const fields = ['content-length', '0', 'keep-alive', 'max=100, timeout=5'];
    expect(responseFraming(head(200, fields), 'GET').keepAliveSeconds).toBe(5);
    expect(responseFraming(head(200, ['content-length', '0']), 'GET').keepAliveSeconds).toBe(
      undefined,
    );
  });

  it.each([
    ['TE and CL', ['transfer-encoding', 'chunked', 'content-length', '5']],
    ['differing CLs', ['content-length', '5', 'content-length', '6']],
    ['differing CLs in one field', ['content-length', '5,6']],
    ['empty CL', ['content-length', '']],
    ['signed CL', ['content-length', '+5']],
    ['huge CL', ['content-length', '9999999999999999']],
    ['chunked twice', ['transfer-encoding', 'chunked', 'transfer-encoding', 'chunked']],
    ['chunked then gzip', ['transfer-encoding', 'chunked, gzip']],
  ])('refuses %s', (_name, fields) => {
    expect(() => responseFraming(head(200, fields), 'GET')).toThrow(MalformedResponseError);
  });
});
