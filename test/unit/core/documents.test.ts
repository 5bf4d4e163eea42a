// The JSON objects callers hand Tessera to keep: user metadata (4 KiB) and token claims (2 KiB, no reserved
// names, nothing a token payload could not carry back through the strict parser).
import { describe, expect, it } from 'vitest';
import {
  assertClaims,
  assertMetadata,
  MAX_CLAIMS_BYTES,
  MAX_METADATA_BYTES,
} from '../../../functions/core/documents.ts';
import { verifyToken } from '../../../functions/core/verify-token.ts';
import { issueFor, seedUser, testDeps } from '../../helpers/deps.ts';

function padded(bytes: number): { pad: string } {
  return { pad: 'x'.repeat(bytes - '{"pad":""}'.length) };
}

function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

describe('assertMetadata', () => {
  it('treats absent metadata as an empty object', () => {
    expect(assertMetadata(undefined)).toEqual({});
  });

  it('accepts an object of exactly 4 KiB as JSON and refuses one byte more', () => {
    expect(assertMetadata(padded(MAX_METADATA_BYTES))).toEqual(padded(MAX_METADATA_BYTES));
    expect(() => assertMetadata(padded(MAX_METADATA_BYTES + 1))).toThrow(
      expect.objectContaining({ code: 'METADATA_INVALID' }),
    );
  });

  it.each([[null], [[]], ['text'], [3], [false]])('refuses %j with METADATA_INVALID', (value) => {
    expect(() => assertMetadata(value)).toThrow(expect.objectContaining({ code: 'METADATA_INVALID' }));
  });
});

describe('numbers in metadata and claims', () => {
  // What a directly invoked event holds after Lambda's JSON.parse, and what the strict parser reads as NaN.
  it.each([
    ['2^53 + 1, as JSON.parse reads it', 2 ** 53],
    ['-(2^53)', -(2 ** 53)],
    ['a 100-digit integer, as JSON.parse reads it', Number('1'.repeat(100))],
    ['an infinity', Number.POSITIVE_INFINITY],
    ['a number the strict parser could not keep', Number.NaN],
  ])('refuses %s, naming the member, with the code of the document', (_, n) => {
    const error = (code: string, member: string) =>
      expect.objectContaining({ code, message: expect.stringContaining(member) });
    expect(() => assertMetadata({ plan: 'pro', limits: { daily: [10, n] } })).toThrow(
      error('METADATA_INVALID', 'metadata.limits.daily[1]'),
    );
    expect(() => assertClaims({ role: 'reader', score: n })).toThrow(error('CLAIMS_INVALID', 'claims.score'));
  });

  it('keeps every number that comes back as sent, unchanged', () => {
    const numbers = { a: 0.1, b: -0.5, c: 1.5e-7, d: Number.MAX_SAFE_INTEGER, e: -Number.MAX_SAFE_INTEGER };
    expect(assertMetadata({ numbers })).toEqual({ numbers });
    expect(assertClaims({ numbers })).toEqual({ numbers });
  });
});

describe('assertClaims', () => {
  it('treats absent claims as an empty object', () => {
    expect(assertClaims(undefined)).toEqual({});
  });

  it('accepts claims of exactly 2 KiB and refuses one byte more', () => {
    expect(assertClaims(padded(MAX_CLAIMS_BYTES))).toEqual(padded(MAX_CLAIMS_BYTES));
    expect(() => assertClaims(padded(MAX_CLAIMS_BYTES + 1))).toThrow(
      expect.objectContaining({ code: 'CLAIMS_INVALID' }),
    );
  });

  it('allows names that merely resemble reserved ones', () => {
    expect(assertClaims({ Sub: 1, issuer: 2, 'tsr-like': 3, 'x:tsr:': 4 })).toEqual({
      Sub: 1,
      issuer: 2,
      'tsr-like': 3,
      'x:tsr:': 4,
    });
  });

  it('refuses a lone surrogate, which the strict verifier would refuse in the token', () => {
    expect(() => assertClaims({ name: 'half \ud83d' })).toThrow(
      expect.objectContaining({ code: 'CLAIMS_INVALID' }),
    );
    expect(() => assertClaims({ '\udc00': 1 })).toThrow(expect.objectContaining({ code: 'CLAIMS_INVALID' }));
    expect(assertClaims({ name: 'whole \ud83d\ude00' })).toEqual({ name: 'whole 😀' });
  });

  it('refuses nesting deeper than a token payload may hold, and accepts the deepest that verifies', async () => {
    expect(() => assertClaims({ deep: nested(32) })).toThrow(
      expect.objectContaining({ code: 'CLAIMS_INVALID' }),
    );
    const deps = await testDeps();
    await seedUser(deps);
    const { token } = await issueFor(deps, {}, { claims: { deep: nested(31) } });
    await expect(verifyToken(deps, token)).resolves.toMatchObject({ claims: { deep: nested(31) } });
  });
});
