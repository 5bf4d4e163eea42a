// The one check every error answer gets: API.md's envelope, its status and stable code, and a message a
// person can act on that never carries a credential, a token or a stack trace.
import { expect } from 'vitest';
import type { CallResult } from '../../helpers/server.ts';

/** Shapes of the secrets Tessera hands out: account tokens, server tokens and user JWTs. */
const SECRET_SHAPES = [/tsa_/, /tss\./, /eyJ[A-Za-z0-9_-]{4,}/];

/**
 * Asserts that `result` is the error envelope `{"error":{"code","message"}}` with this status and code.
 *
 * @example
 * expectError(await server.call('GET', '/nope'), 404, 'ROUTE_NOT_FOUND');
 */
export function expectError(result: CallResult, status: number, code: string, secrets: string[] = []): void {
  expect({ status: result.status, body: result.body }).toMatchObject({ status, body: { error: { code } } });
  expect(Object.keys(result.body)).toEqual(['error']);
  expect(Object.keys(result.body.error).sort()).toEqual(['code', 'message']);
  expect(result.headers.get('content-type')).toMatch(/^application\/json/);
  const message: unknown = result.body.error.message;
  if (typeof message !== 'string') throw new Error(`message is not a string: ${result.text}`);
  expect(message.length).toBeGreaterThan(10);
  expect(message).not.toMatch(/\n\s+at /);
  for (const shape of SECRET_SHAPES) expect(message).not.toMatch(shape);
  for (const secret of secrets) expect(message).not.toContain(secret);
}
