// Verifying user tokens over real HTTP: the token in the body or as a bearer credential, the answer and
// its sliding deadline, and every 401 code, each reached the way a client would meet it.
import type { KeyObject } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { frozenClock } from '../../helpers/clock.ts';
import { partsOf, serverKey, signWithKey, strangerKey } from '../../helpers/forge.ts';
import { useSeededServer } from '../../helpers/use-test-server.ts';
import { expectError } from './expect-error.ts';
import { tokenCalls } from './token-calls.ts';

const clock = frozenClock();
let key: KeyObject;

const { server, seed } = useSeededServer({ clock });

beforeAll(async () => {
  key = await serverKey(server.dataDir);
});

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

const calls = tokenCalls(server);
const issue = (query = '', body?: unknown) =>
  calls.issue(`/v1/ecosystems/${seed.ecosystemId}/users/alice`, seed.serverToken, query, body);

/** The same bytes spelled differently: the last character of a 64-byte signature carries 4 unused bits. */
function nonCanonical(signature: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(signature.at(-1) ?? 'A');
  const respelled = `${signature.slice(0, -1)}${alphabet[last | 1]}`;
  if (!Buffer.from(respelled, 'base64url').equals(Buffer.from(signature, 'base64url')))
    throw new Error('not the same bytes');
  return respelled;
}

const { verify } = calls;

describe('POST /v1/tokens/verify', () => {
  it('answers a valid token with its user, ecosystem, deadlines, claims and current metadata', async () => {
    const now = clock.seconds();
    const { token, tokenId } = await issue('?expiryType=FixedTtl&ttl=600', { claims: { role: 'mod' } });
    const result = await verify(token);
    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      valid: true,
      tokenId,
      userId: 'alice',
      ecosystemId: seed.ecosystemId,
      expiryType: 'FixedTtl',
      expiresAt: iso(now + 600),
      absoluteExpiresAt: null,
      lastUsedAt: null,
      claims: { role: 'mod' },
      metadata: { plan: 'pro' },
      audience: null,
    });
  });

  it('takes the token as Authorization: Bearer, with no other credential', async () => {
    const { token, tokenId } = await issue();
    const result = await server.call('POST', '/v1/tokens/verify', { bearer: token });
    expect(result.status).toBe(200);
    expect(result.body.tokenId).toBe(tokenId);
  });

  it('prefers the body token when both are sent', async () => {
    const { token, tokenId } = await issue();
    const result = await server.call('POST', '/v1/tokens/verify', { bearer: 'not-a-token', body: { token } });
    expect(result.status).toBe(200);
    expect(result.body.tokenId).toBe(tokenId);
  });

  it('answers 400 BODY_INVALID when no token is sent, or the token is not a string', async () => {
    expectError(await server.call('POST', '/v1/tokens/verify'), 400, 'BODY_INVALID');
    expectError(await server.call('POST', '/v1/tokens/verify', { body: {} }), 400, 'BODY_INVALID');
    expectError(await verify(42), 400, 'BODY_INVALID');
    expectError(
      await server.call('POST', '/v1/tokens/verify', { body: { token: 'x', extra: 1 } }),
      400,
      'BODY_INVALID',
    );
  });

  it('moves the idle deadline of a SlidingTtl token to now + ttl on each use', async () => {
    const issuedAt = clock.seconds();
    const { token } = await issue('?expiryType=SlidingTtl&ttl=100');
    clock.advance(60);
    const first = await verify(token);
    expect(first.body).toMatchObject({ lastUsedAt: iso(issuedAt + 60), expiresAt: iso(issuedAt + 160) });
    clock.advance(90); // 150 s after issue: past the first idle deadline, within the moved one
    const second = await verify(token);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ lastUsedAt: iso(issuedAt + 150), expiresAt: iso(issuedAt + 250) });
  });

  it('records a sliding use at most once per min(60 s, ttl/10): a token may expire early, never late', async () => {
    const issuedAt = clock.seconds();
    const early = await issue('?expiryType=SlidingTtl&ttl=100'); // uses recorded 10 s apart at most
    const recorded = await issue('?expiryType=SlidingTtl&ttl=100');
    clock.advance(9);
    // Within the window the use is not written, and the answer reports the deadline actually enforced.
    expect((await verify(early.token)).body).toMatchObject({
      lastUsedAt: iso(issuedAt),
      expiresAt: iso(issuedAt + 100),
    });
    clock.advance(1);
    expect((await verify(recorded.token)).body).toMatchObject({
      lastUsedAt: iso(issuedAt + 10),
      expiresAt: iso(issuedAt + 110),
    });
    clock.advance(90); // 100 s after issue: 91 s after the unrecorded use, 90 s after the recorded one
    expectError(await verify(early.token), 401, 'TOKEN_EXPIRED');
    expect((await verify(recorded.token)).status).toBe(200);
  });

  it('never moves the idle deadline past the absolute one', async () => {
    const issuedAt = clock.seconds();
    const { token } = await issue('?expiryType=SlidingTtl&ttl=100&maxTtl=120');
    clock.advance(50);
    const result = await verify(token);
    expect(result.body).toMatchObject({
      expiresAt: iso(issuedAt + 120),
      absoluteExpiresAt: iso(issuedAt + 120),
    });
  });
});

describe('TOKEN_STRUCTURE_INVALID', () => {
  it('refuses strings that are not a token of this service', async () => {
    const { token } = await issue();
    const [h = '', p = '', s = ''] = token.split('.');
    const bad = {
      'not a JWT': 'hello',
      'two parts': `${h}.${p}`,
      'four parts': `${token}.${s}`,
      'padded base64url': `${h}=.${p}.${s}`,
      'standard base64': `${h}.${p}.${s.replace(/-/g, '+').replace(/_/g, '/')}+`,
      'non-canonical base64url (unused bits set)': `${h}.${p}.${nonCanonical(s)}`,
      'over 8 KiB': `${h}.${p}${'A'.repeat(8192)}.${s}`,
    };
    for (const [why, value] of Object.entries(bad)) {
      const result = await verify(value);
      expect({ why, status: result.status }).toEqual({ why, status: 401 });
      expectError(result, 401, 'TOKEN_STRUCTURE_INVALID', [token]);
    }
  });

  it('refuses a header other than exactly {"alg":"ES256","typ":"JWT","kid"}', async () => {
    const { token } = await issue();
    const { header, payload } = partsOf(token);
    const headers = {
      'alg none': { ...header, alg: 'none' },
      'alg HS256': { ...header, alg: 'HS256' },
      'another typ': { ...header, typ: 'at+jwt' },
      'a crit member': { ...header, crit: ['exp'] },
      'a jwk member': { ...header, jwk: { kty: 'EC' } },
      'a jku member': { ...header, jku: 'https://evil.example/jwks.json' },
      'an x5u member': { ...header, x5u: 'https://evil.example/cert' },
      'an x5c member': { ...header, x5c: ['MIIB'] },
      'no kid': { alg: 'ES256', typ: 'JWT' },
      'an unknown kid': { ...header, kid: 'not-our-key' },
      'a member twice': `{"alg":"ES256","typ":"JWT","kid":"${header.kid}","kid":"${header.kid}"}`,
      'not an object': '["ES256"]',
    };
    for (const [why, forged] of Object.entries(headers)) {
      const result = await verify(signWithKey(key, forged, payload));
      expect({ why, status: result.status, code: result.body?.error?.code }).toEqual({
        why,
        status: 401,
        code: 'TOKEN_STRUCTURE_INVALID',
      });
    }
  });

  it('refuses an authentic signature over a payload with a missing, mistyped or doubled claim', async () => {
    const { token } = await issue();
    const { header, payload } = partsOf(token);
    const { sub: _sub, ...noSub } = payload;
    const payloads = {
      'no sub': noSub,
      'iat as a string': { ...payload, iat: String(payload.iat) },
      'an unknown expiry model': { ...payload, 'tsr:expiry': 'Forever' },
      'another issuer': { ...payload, iss: 'someone-else' },
      'a member twice': JSON.stringify(payload).replace('{', `{"sub":"mallory",`),
      'not an object': '[1,2,3]',
    };
    for (const [why, forged] of Object.entries(payloads)) {
      const result = await verify(signWithKey(key, header, forged));
      expect({ why, status: result.status, code: result.body?.error?.code }).toEqual({
        why,
        status: 401,
        code: 'TOKEN_STRUCTURE_INVALID',
      });
    }
  });
});

describe('TOKEN_SIGNATURE_INVALID', () => {
  it('refuses a well-formed token whose signature does not verify', async () => {
    const { token } = await issue();
    const [h = '', p = '', s = ''] = token.split('.');
    const signature = Buffer.from(s, 'base64url');
    signature[10] = (signature[10] ?? 0) ^ 0xff;
    const { header, payload } = partsOf(token);
    const tampered = {
      'a flipped signature byte': `${h}.${p}.${signature.toString('base64url')}`,
      'a changed payload': `${h}.${Buffer.from(JSON.stringify({ ...payload, sub: 'bob' })).toString('base64url')}.${s}`,
      'another key under our kid': signWithKey(strangerKey(), header, payload),
      'a DER signature': `${h}.${p}.${Buffer.alloc(70, 1).toString('base64url')}`,
    };
    for (const [why, value] of Object.entries(tampered)) {
      const result = await verify(value);
      expect({ why, status: result.status }).toEqual({ why, status: 401 });
      expectError(result, 401, 'TOKEN_SIGNATURE_INVALID', [token]);
    }
  });
});

describe('TOKEN_EXPIRED', () => {
  it('refuses a FixedTtl token from iat + ttl on, saying the fixed deadline passed', async () => {
    const { token } = await issue('?expiryType=FixedTtl&ttl=60');
    clock.advance(59);
    expect((await verify(token)).status).toBe(200);
    clock.advance(1);
    const result = await verify(token);
    expectError(result, 401, 'TOKEN_EXPIRED', [token]);
    expect(result.body.error.message).toMatch(/fixed deadline/);
  });

  it('refuses a SlidingTtl token idle for its ttl, saying it was idle', async () => {
    const { token } = await issue('?expiryType=SlidingTtl&ttl=60');
    clock.advance(60);
    const result = await verify(token);
    expectError(result, 401, 'TOKEN_EXPIRED', [token]);
    expect(result.body.error.message).toMatch(/idle/);
  });

  it('refuses a SlidingTtl token used all along once its absolute deadline passes, saying so', async () => {
    const { token } = await issue('?expiryType=SlidingTtl&ttl=60&maxTtl=150');
    for (let used = 0; used < 3; used++) {
      clock.advance(45);
      expect((await verify(token)).status).toBe(200);
    }
    clock.advance(15); // 150 s after issue, 15 s after the last use
    const result = await verify(token);
    expectError(result, 401, 'TOKEN_EXPIRED', [token]);
    expect(result.body.error.message).toMatch(/absolute deadline/);
  });

  it('never expires an Infinite token', async () => {
    const { token } = await issue('?expiryType=Infinite');
    clock.advance(10 * 365 * 24 * 3600);
    expect((await verify(token)).status).toBe(200);
  });
});

describe('TOKEN_NOT_YET_VALID', () => {
  it('refuses a token issued further in the future than the 30 s clock skew', async () => {
    clock.advance(31);
    const early = await issue();
    clock.advance(-1);
    const skewed = await issue();
    clock.advance(-30);
    expectError(await verify(early.token), 401, 'TOKEN_NOT_YET_VALID', [early.token]);
    expect((await verify(skewed.token)).status).toBe(200);
    clock.advance(31);
    expect((await verify(early.token)).status).toBe(200);
  });
});

describe('TOKEN_REVOKED', () => {
  it('refuses a token revoked by its holder', async () => {
    const { token } = await issue();
    expect((await server.call('POST', '/v1/tokens/revoke', { body: { token } })).status).toBe(204);
    expectError(await verify(token), 401, 'TOKEN_REVOKED', [token]);
  });
});
