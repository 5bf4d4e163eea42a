// Refresh over real HTTP, with a frozen clock: rotation to a successor that keeps the family's terms,
// the grace period for retries (default 10 s), reuse detection after it, and the errors verify answers.
import { describe, expect, it } from 'vitest';
import { frozenClock } from '../../helpers/clock.ts';
import { partsOf } from '../../helpers/forge.ts';
import { useSeededServer } from '../../helpers/use-test-server.ts';
import { expectError } from './expect-error.ts';
import { tokenCalls } from './token-calls.ts';

const clock = frozenClock();

const { server, seed } = useSeededServer({ clock });

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

const calls = tokenCalls(server);
const issue = (query = '', body?: unknown) =>
  calls.issue(`/v1/ecosystems/${seed.ecosystemId}/users/alice`, seed.serverToken, query, body);
const { refresh, verify } = calls;

describe('POST /v1/tokens/refresh', () => {
  it('answers a successor in the issue shape, and the presented token then answers TOKEN_REVOKED', async () => {
    const old = await issue('?expiryType=FixedTtl&ttl=600', { claims: { role: 'mod' } });
    clock.advance(100);
    const now = clock.seconds();
    const result = await refresh(old.token);
    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      token: expect.any(String),
      tokenId: expect.stringMatching(/^[0-9a-f]{32}$/),
      expiryType: 'FixedTtl',
      ttl: 600,
      expiresAt: iso(now + 600), // a FixedTtl successor gets a fresh fixed deadline
      absoluteExpiresAt: null,
      lastUsedAt: null,
    });
    expect(result.body.tokenId).not.toBe(old.tokenId);
    expect(partsOf(result.body.token).payload).toMatchObject({ sub: 'alice', role: 'mod', iat: now });

    const successor = await verify(result.body.token);
    expect(successor.body).toMatchObject({ tokenId: result.body.tokenId, claims: { role: 'mod' } });
    expectError(await verify(old.token), 401, 'TOKEN_REVOKED', [old.token]);
  });

  it('takes the token as Authorization: Bearer too', async () => {
    const old = await issue();
    const result = await server.call('POST', '/v1/tokens/refresh', { bearer: old.token });
    expect(result.status).toBe(200);
    expect(result.body.tokenId).not.toBe(old.tokenId);
  });

  it('keeps an Infinite token Infinite', async () => {
    const result = await refresh((await issue('?expiryType=Infinite')).token);
    expect(result.body).toMatchObject({ expiryType: 'Infinite', ttl: null, expiresAt: null });
  });

  it('counts as a use of a SlidingTtl token and keeps the absolute deadline of the family', async () => {
    const issuedAt = clock.seconds();
    const old = await issue('?expiryType=SlidingTtl&ttl=100&maxTtl=1000');
    clock.advance(90);
    const first = await refresh(old.token);
    expect(first.body).toMatchObject({
      expiryType: 'SlidingTtl',
      ttl: 100,
      lastUsedAt: iso(issuedAt + 90),
      expiresAt: iso(issuedAt + 190),
      absoluteExpiresAt: iso(issuedAt + 1000),
    });
    expect(partsOf(first.body.token).payload.exp).toBe(issuedAt + 1000);
    // Refreshed every 90 s, the family still ends at issue + maxTtl.
    let token: string = first.body.token;
    for (let at = 180; at <= 990; at += 90) {
      clock.advance(90);
      const next = await refresh(token);
      expect({ at, status: next.status }).toEqual({ at, status: 200 });
      expect(next.body.absoluteExpiresAt).toBe(iso(issuedAt + 1000));
      token = next.body.token;
    }
    clock.advance(10);
    const late = await refresh(token);
    expectError(late, 401, 'TOKEN_EXPIRED', [token]);
    expect(late.body.error.message).toMatch(/absolute deadline/);
  });

  it('gives a retry within the grace period the same successor, re-signed', async () => {
    const old = await issue();
    const first = await refresh(old.token);
    clock.advance(10); // the grace period is 10 s by default, its last second included
    const retry = await refresh(old.token);
    expect(retry.status).toBe(200);
    expect(retry.body.tokenId).toBe(first.body.tokenId);
    expect((await verify(retry.body.token)).body.tokenId).toBe(first.body.tokenId);
    expect((await verify(first.body.token)).status).toBe(200);
  });

  it('answers TOKEN_REVOKED to a retry within the grace period once the successor was refreshed in turn', async () => {
    const t1 = await issue();
    const t2 = (await refresh(t1.token)).body;
    const t3 = (await refresh(t2.token)).body;
    expectError(await refresh(t1.token), 401, 'TOKEN_REVOKED', [t1.token]);
    // Not reuse: the session goes on with the newest token.
    expect((await verify(t3.token)).status).toBe(200);
  });

  it('answers TOKEN_REUSED to the old token after the grace period and revokes the whole family', async () => {
    const t1 = await issue('?expiryType=SlidingTtl&ttl=3600');
    const t2 = (await refresh(t1.token)).body;
    clock.advance(5);
    const t3 = (await refresh(t2.token)).body;
    expect((await verify(t3.token)).status).toBe(200);
    clock.advance(11);
    const reused = await refresh(t1.token);
    expectError(reused, 401, 'TOKEN_REUSED', [t1.token]);
    expect(reused.body.error.message).toMatch(/family/);
    expectError(await verify(t3.token), 401, 'TOKEN_REVOKED', [t3.token]);
    expectError(await refresh(t3.token), 401, 'TOKEN_REVOKED', [t3.token]);
    // Another family of the same user is untouched.
    expect((await verify((await issue()).token)).status).toBe(200);
  });
});

describe('reuse detection', () => {
  it('answers TOKEN_EXPIRED, not TOKEN_REUSED, to a replaced token past its own deadline: it proves nothing', async () => {
    const t1 = await issue('?expiryType=FixedTtl&ttl=60');
    clock.advance(30);
    const t2 = (await refresh(t1.token)).body; // its fixed deadline is 90 s after the issue of t1
    clock.advance(30);
    expectError(await refresh(t1.token), 401, 'TOKEN_EXPIRED', [t1.token]);
    expect((await verify(t2.token)).status).toBe(200);
  });
});

describe('refresh errors', () => {
  it('answers the errors verify answers', async () => {
    const { token } = await issue('?expiryType=FixedTtl&ttl=60');
    const [h, p, s = ''] = token.split('.');
    expectError(await refresh('not-a-token'), 401, 'TOKEN_STRUCTURE_INVALID');
    expectError(
      await refresh(`${h}.${p}.${s.slice(0, 10)}${s[10] === 'A' ? 'B' : 'A'}${s.slice(11)}`),
      401,
      'TOKEN_SIGNATURE_INVALID',
    );
    clock.advance(60);
    expectError(await refresh(token), 401, 'TOKEN_EXPIRED', [token]);
    const sliding = await issue('?expiryType=SlidingTtl&ttl=30');
    clock.advance(30);
    expectError(await refresh(sliding.token), 401, 'TOKEN_EXPIRED', [sliding.token]);
    clock.advance(40);
    const future = await issue();
    clock.advance(-40);
    expectError(await refresh(future.token), 401, 'TOKEN_NOT_YET_VALID', [future.token]);
    clock.advance(40);
  });

  it('answers TOKEN_REVOKED to a revoked token', async () => {
    const { token } = await issue();
    await server.call('POST', '/v1/tokens/revoke', { body: { token } });
    expectError(await refresh(token), 401, 'TOKEN_REVOKED', [token]);
  });

  it('answers 400 BODY_INVALID without a token', async () => {
    expectError(await server.call('POST', '/v1/tokens/refresh'), 400, 'BODY_INVALID');
    expectError(await refresh(['x']), 400, 'BODY_INVALID');
  });
});
