// refreshToken: rotation to one successor that keeps the token's shape, the grace period for retries, reuse
// detection that revokes the whole family, and twenty racing refreshes that agree on a single successor.
import { describe, expect, it, vi } from 'vitest';
import { isoFromSeconds } from '../../../functions/core/clock.ts';
import type { RotateResult } from '../../../functions/core/ports.ts';
import { refreshToken } from '../../../functions/core/refresh-token.ts';
import { revokeAllUserTokens, revokeTokenById } from '../../../functions/core/revoke-token.ts';
import { verifyToken } from '../../../functions/core/verify-token.ts';
import { issueFor, seededDeps } from '../../helpers/deps.ts';
import { payloadOf } from '../../helpers/forge.ts';

describe('refreshToken', () => {
  it('answers a new token of the same user, expiry type, ttl, claims and absolute deadline', async () => {
    const deps = await seededDeps();
    const start = deps.clock.seconds();
    const issued = await issueFor(
      deps,
      { expiryType: 'SlidingTtl', ttl: '100', maxTtl: '1000' },
      { claims: { role: 'editor' } },
    );
    deps.clock.advance(40);
    const successor = await refreshToken(deps, issued.token);
    expect(successor.tokenId).not.toBe(issued.tokenId);
    expect(successor).toMatchObject({
      expiryType: 'SlidingTtl',
      ttl: 100,
      lastUsedAt: isoFromSeconds(start + 40),
      expiresAt: isoFromSeconds(start + 140),
      absoluteExpiresAt: isoFromSeconds(start + 1000),
    });
    expect(payloadOf(successor.token)).toMatchObject({ sub: 'alice', 'tsr:eco': 'eco1', role: 'editor' });
    expect((await deps.tokens.getToken(successor.tokenId))?.familyId).toBe(issued.tokenId);
    await expect(verifyToken(deps, successor.token)).resolves.toMatchObject({
      userId: 'alice',
      claims: { role: 'editor' },
      absoluteExpiresAt: isoFromSeconds(start + 1000),
    });
  });

  it('keeps the absolute deadline across refreshes, so a refreshed family still ends at issue + maxTtl', async () => {
    const deps = await seededDeps();
    const start = deps.clock.seconds();
    let { token } = await issueFor(deps, { expiryType: 'SlidingTtl', ttl: '100', maxTtl: '250' });
    for (let t = 80; t <= 240; t += 80) {
      deps.clock.set(start + t);
      token = (await refreshToken(deps, token)).token;
    }
    deps.clock.set(start + 250);
    await expect(refreshToken(deps, token)).rejects.toMatchObject({
      code: 'TOKEN_EXPIRED',
      message: expect.stringContaining('absolute deadline'),
    });
  });

  it('gives a FixedTtl successor a fresh ttl from the refresh on', async () => {
    const deps = await seededDeps();
    const start = deps.clock.seconds();
    const issued = await issueFor(deps, { expiryType: 'FixedTtl', ttl: '100' });
    deps.clock.advance(90);
    const successor = await refreshToken(deps, issued.token);
    expect(successor).toMatchObject({
      expiryType: 'FixedTtl',
      ttl: 100,
      expiresAt: isoFromSeconds(start + 190),
    });
    expect(payloadOf(successor.token).exp).toBe(start + 190);
  });

  it('refreshes an Infinite token into another Infinite token', async () => {
    const deps = await seededDeps();
    const issued = await issueFor(deps, { expiryType: 'Infinite' });
    await expect(refreshToken(deps, issued.token)).resolves.toMatchObject({
      expiryType: 'Infinite',
      ttl: null,
      expiresAt: null,
    });
  });

  it('rotates the presented token away: it then answers TOKEN_REVOKED to verify', async () => {
    const deps = await seededDeps();
    const issued = await issueFor(deps, { expiryType: 'Infinite' });
    const successor = await refreshToken(deps, issued.token);
    await expect(verifyToken(deps, issued.token)).rejects.toMatchObject({ code: 'TOKEN_REVOKED' });
    await expect(verifyToken(deps, successor.token)).resolves.toMatchObject({ tokenId: successor.tokenId });
  });

  it.each([0, 5, 10])(
    'answers a retry %i s later, within the 10 s grace period, with the same successor',
    async (later) => {
      const deps = await seededDeps();
      const issued = await issueFor(deps, { expiryType: 'SlidingTtl', ttl: '3600' });
      const first = await refreshToken(deps, issued.token);
      deps.clock.advance(later);
      const retry = await refreshToken(deps, issued.token);
      expect(retry.tokenId).toBe(first.tokenId);
      await expect(verifyToken(deps, retry.token)).resolves.toMatchObject({ tokenId: first.tokenId });
      await expect(verifyToken(deps, first.token)).resolves.toMatchObject({ tokenId: first.tokenId });
    },
  );

  it('answers a retry within the grace period with TOKEN_REVOKED once the successor was revoked', async () => {
    const deps = await seededDeps();
    const issued = await issueFor(deps, { expiryType: 'Infinite' });
    const successor = await refreshToken(deps, issued.token);
    await revokeTokenById(deps, { ecosystemId: 'eco1', userId: 'alice', tokenId: successor.tokenId });
    await expect(refreshToken(deps, issued.token)).rejects.toMatchObject({ code: 'TOKEN_REVOKED' });
  });

  it('answers a retry within the grace period with TOKEN_REVOKED after all user tokens were revoked', async () => {
    const deps = await seededDeps();
    const issued = await issueFor(deps, { expiryType: 'Infinite' });
    await refreshToken(deps, issued.token);
    await revokeAllUserTokens(deps, { ecosystemId: 'eco1', userId: 'alice' });
    await expect(refreshToken(deps, issued.token)).rejects.toMatchObject({ code: 'TOKEN_REVOKED' });
  });

  it('after the grace period answers TOKEN_REUSED and revokes the whole family, newest included', async () => {
    const deps = await seededDeps();
    const first = await issueFor(deps, { expiryType: 'SlidingTtl', ttl: '3600' });
    const second = await refreshToken(deps, first.token);
    deps.clock.advance(5);
    const third = await refreshToken(deps, second.token);
    deps.clock.advance(6); // 11 s after the first token was rotated away
    await expect(refreshToken(deps, first.token)).rejects.toMatchObject({ code: 'TOKEN_REUSED' });
    for (const { token } of [first, second, third]) {
      await expect(verifyToken(deps, token)).rejects.toMatchObject({ code: 'TOKEN_REVOKED' });
    }
    await expect(refreshToken(deps, third.token)).rejects.toMatchObject({ code: 'TOKEN_REVOKED' });
  });

  it('follows the configured grace period', async () => {
    const deps = await seededDeps({ config: { refreshGraceSeconds: 2 } });
    const issued = await issueFor(deps, { expiryType: 'Infinite' });
    const successor = await refreshToken(deps, issued.token);
    deps.clock.advance(2);
    await expect(refreshToken(deps, issued.token)).resolves.toMatchObject({ tokenId: successor.tokenId });
    deps.clock.advance(1);
    await expect(refreshToken(deps, issued.token)).rejects.toMatchObject({ code: 'TOKEN_REUSED' });
    await expect(verifyToken(deps, successor.token)).rejects.toMatchObject({ code: 'TOKEN_REVOKED' });
  });

  it('lets twenty concurrent refreshes of one token agree on exactly one successor', async () => {
    const deps = await seededDeps();
    const issued = await issueFor(deps, { expiryType: 'SlidingTtl', ttl: '3600' });
    const rotate = deps.tokens.rotateToken.bind(deps.tokens);
    const outcomes: RotateResult[] = [];
    vi.spyOn(deps.tokens, 'rotateToken').mockImplementation(async (input) => {
      const result = await rotate(input);
      outcomes.push(result);
      return result;
    });
    const answers = await Promise.all(Array.from({ length: 20 }, () => refreshToken(deps, issued.token)));
    expect(new Set(answers.map((a) => a.tokenId)).size).toBe(1);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    const successorId = answers[0]?.tokenId ?? '';
    expect((await deps.tokens.getToken(issued.tokenId))?.successorId).toBe(successorId);
    for (const { token } of answers) {
      await expect(verifyToken(deps, token)).resolves.toMatchObject({ tokenId: successorId });
    }
  });

  it('refuses an expired token with TOKEN_EXPIRED', async () => {
    const deps = await seededDeps();
    const fixed = await issueFor(deps, { expiryType: 'FixedTtl', ttl: '100' });
    const sliding = await issueFor(deps, { expiryType: 'SlidingTtl', ttl: '100' });
    deps.clock.advance(100);
    await expect(refreshToken(deps, fixed.token)).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
    await expect(refreshToken(deps, sliding.token)).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
  });

  it('refuses a revoked token with TOKEN_REVOKED and makes no successor', async () => {
    const deps = await seededDeps();
    const issued = await issueFor(deps, { expiryType: 'Infinite' });
    await revokeTokenById(deps, { ecosystemId: 'eco1', userId: 'alice', tokenId: issued.tokenId });
    await expect(refreshToken(deps, issued.token)).rejects.toMatchObject({ code: 'TOKEN_REVOKED' });
    expect((await deps.tokens.getToken(issued.tokenId))?.successorId).toBeNull();
  });

  it('refuses a malformed token with TOKEN_STRUCTURE_INVALID', async () => {
    const deps = await seededDeps();
    await expect(refreshToken(deps, 'x.y.z')).rejects.toMatchObject({ code: 'TOKEN_STRUCTURE_INVALID' });
  });
});
