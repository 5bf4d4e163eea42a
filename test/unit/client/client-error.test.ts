// How a client names what went wrong: the API.md envelope when there is one, the bare status when a
// gateway answered instead, and Retry-After in either of its two spellings.
import { describe, expect, it } from 'vitest';
import { errorFromAnswer, isApiCode, TesseraClientError } from '../../../functions/client/client-error.ts';
import { parseRetryAfter } from '../../../functions/client/http-client.ts';

describe('errorFromAnswer', () => {
  it('keeps the code and message of a Tessera error envelope', () => {
    const err = errorFromAnswer(404, { error: { code: 'USER_NOT_FOUND', message: 'No user "bob".' } });
    expect([err.code, err.status, err.message, err.retryable]).toEqual([
      'USER_NOT_FOUND',
      404,
      'No user "bob".',
      false,
    ]);
  });

  it('gives an answer without a status (a direct invocation) the status HTTP would have answered', () => {
    const err = errorFromAnswer(undefined, { valid: false, error: { code: 'TOKEN_REUSED', message: 'm' } });
    expect([err.code, err.status]).toEqual(['TOKEN_REUSED', 401]);
    const down = errorFromAnswer(undefined, { error: { code: 'SERVICE_UNAVAILABLE', message: 'm' } });
    expect([down.status, down.retryAfterSeconds, down.retryable]).toEqual([503, 1, true]);
  });

  it('names a bare gateway answer by its status, and anything else RESPONSE_INVALID', () => {
    expect(errorFromAnswer(403, { message: 'Forbidden' }).code).toBe('FORBIDDEN');
    expect(errorFromAnswer(429, { message: 'Too Many Requests' }).code).toBe('SERVICE_UNAVAILABLE');
    expect(errorFromAnswer(418, undefined).code).toBe('RESPONSE_INVALID');
    expect(errorFromAnswer(400, { error: { code: 'NOT_A_CODE', message: 'x' } }).code).toBe(
      'RESPONSE_INVALID',
    );
  });

  it('serializes to the API.md envelope', () => {
    const err = new TesseraClientError('TOKEN_EXPIRED', 'The token passed its fixed deadline.', {
      status: 401,
    });
    expect(JSON.parse(JSON.stringify(err))).toEqual({
      error: { code: 'TOKEN_EXPIRED', message: 'The token passed its fixed deadline.' },
    });
  });
});

describe('isApiCode', () => {
  it('knows the API.md codes and not the client-only ones', () => {
    expect([isApiCode('TOKEN_REVOKED'), isApiCode('NETWORK_ERROR'), isApiCode(42)]).toEqual([
      true,
      false,
      false,
    ]);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and an HTTP date', () => {
    const now = Date.parse('2026-11-23T12:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7);
    expect(parseRetryAfter('Mon, 23 Nov 2026 12:00:30 GMT', now)).toBe(30);
    expect([parseRetryAfter(null), parseRetryAfter('soon')]).toEqual([undefined, undefined]);
  });
});
