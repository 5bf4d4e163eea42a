// The pre-check a client runs before any call: the service's structure rules without a key, and the
// fixed or absolute deadline against the device's clock.
import { beforeAll, describe, expect, it } from 'vitest';
import { LocalSigner } from '../../../functions/adapters/local-signer.ts';
import { TesseraClientError } from '../../../functions/client/client-error.ts';
import { inspectToken, precheckToken } from '../../../functions/client/token-precheck.ts';
import type { JsonObject } from '../../../functions/core/strict-json.ts';
import { signToken } from '../../../functions/core/token-codec.ts';

const NOW = 1_800_000_000;
const now = () => NOW * 1000;
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

function claims(overrides: JsonObject = {}): JsonObject {
  return {
    iss: 'tessera',
    sub: 'alice',
    jti: '0123456789abcdef0123456789abcdef',
    iat: NOW - 10,
    'tsr:eco': 'eco1',
    'tsr:expiry': 'FixedTtl',
    'tsr:ttl': 60,
    exp: NOW + 50,
    ...overrides,
  };
}

async function token(payload: JsonObject = claims()): Promise<string> {
  return signToken(await LocalSigner.fromKey(), payload);
}

function codeOf(action: () => unknown): string {
  try {
    action();
  } catch (err) {
    if (err instanceof TesseraClientError) return `${err.code} ${err.status}`;
    throw err;
  }
  return 'passed';
}

/** Replaces one of the three parts of a token. */
function withPart(jwt: string, index: number, part: string): string {
  const parts = jwt.split('.');
  parts[index] = part;
  return parts.join('.');
}

describe('inspectToken', () => {
  it('reads who a token was issued to, its expiry model and its extra claims', async () => {
    const jwt = await token(claims({ room: 'general' }));
    expect(inspectToken(jwt)).toMatchObject({
      issuer: 'tessera',
      userId: 'alice',
      ecosystemId: 'eco1',
      expiryType: 'FixedTtl',
      ttl: 60,
      issuedAt: NOW - 10,
      expiresAt: NOW + 50,
      claims: { room: 'general' },
    });
  });

  it.each([
    ['no token at all', ''],
    ['two parts', 'abc.def'],
    ['four parts', 'a.b.c.d'],
    ['a part that is not base64url', 'ey+J.e30.AA'],
    ['a header that is not JSON', `${b64('nope')}.e30.AA`],
    ['a header with an algorithm other than ES256', `${b64('{"alg":"HS256","typ":"JWT","kid":"k"}')}.e30.AA`],
    ['a header with a jku member', `${b64('{"alg":"ES256","typ":"JWT","kid":"k","jku":"x"}')}.e30.AA`],
    ['a header with a member twice', `${b64('{"alg":"ES256","typ":"JWT","kid":"k","kid":"j"}')}.e30.AA`],
    ['a token over 8 KiB', `${'a'.repeat(8193)}`],
  ])('refuses %s as TOKEN_STRUCTURE_INVALID', (_what, jwt) => {
    expect(codeOf(() => inspectToken(jwt))).toBe('TOKEN_STRUCTURE_INVALID 401');
  });

  it('refuses non-canonical base64url, a payload that is not an object, and missing claims', async () => {
    const jwt = await token();
    // "e30" is {} in base64url; "e31" sets the two spare bits of its last character: a second spelling.
    expect(() => inspectToken(withPart(jwt, 1, 'e31'))).toThrow(/not canonical base64url/);
    expect(codeOf(() => inspectToken(withPart(jwt, 1, b64('[1]'))))).toBe('TOKEN_STRUCTURE_INVALID 401');
    const { sub: _sub, ...noSubject } = claims();
    expect(codeOf(() => inspectToken(withPart(jwt, 1, b64(JSON.stringify(noSubject)))))).toBe(
      'TOKEN_STRUCTURE_INVALID 401',
    );
    const { exp: _exp, ...fixedWithoutExp } = claims();
    expect(codeOf(() => inspectToken(withPart(jwt, 1, b64(JSON.stringify(fixedWithoutExp)))))).toBe(
      'TOKEN_STRUCTURE_INVALID 401',
    );
  });
});

describe('precheckToken', () => {
  let claimsToken: string;
  beforeAll(async () => {
    claimsToken = await token();
  });

  it('passes a FixedTtl token before its deadline', async () => {
    expect(codeOf(() => precheckToken(claimsToken, { now }))).toBe('passed');
  });

  it('refuses a FixedTtl token at its fixed deadline as TOKEN_EXPIRED', async () => {
    const err = codeOf(() => precheckToken(claimsToken, { now: () => (NOW + 50) * 1000 }));
    expect(err).toBe('TOKEN_EXPIRED 401');
  });

  it('allows a device clock running fast by the tolerance it was given', async () => {
    const fast = () => (NOW + 55) * 1000;
    expect(codeOf(() => precheckToken(claimsToken, { now: fast, clockToleranceSeconds: 10 }))).toBe('passed');
    expect(codeOf(() => precheckToken(claimsToken, { now: fast }))).toBe('TOKEN_EXPIRED 401');
  });

  it('refuses a SlidingTtl token past its absolute deadline, and says which deadline', async () => {
    const sliding = await token(claims({ 'tsr:expiry': 'SlidingTtl', exp: NOW - 1 }));
    expect(() => precheckToken(sliding, { now })).toThrow(/absolute deadline/);
  });

  it('passes SlidingTtl and Infinite tokens without exp: only the service knows their state', async () => {
    const { exp: _deadline, ...slidingClaims } = claims({ 'tsr:expiry': 'SlidingTtl' });
    const sliding = await token(slidingClaims);
    const { 'tsr:ttl': _ttl, exp: _exp, ...base } = claims({ 'tsr:expiry': 'Infinite' });
    const infinite = await token(base);
    const farFuture = () => (NOW + 10 * 365 * 86_400) * 1000;
    expect(codeOf(() => precheckToken(sliding, { now: farFuture }))).toBe('passed');
    expect(precheckToken(infinite, { now: farFuture })).toMatchObject({ expiryType: 'Infinite', ttl: null });
  });
});
