// issueToken: who may get a token, which extra claims it may carry, and what the signed token and the answer
// say for each expiry model.
import { describe, expect, it } from 'vitest';
import { isoFromSeconds } from '../../../functions/core/clock.ts';
import { MAX_CLAIMS_BYTES } from '../../../functions/core/documents.ts';
import { verifyToken } from '../../../functions/core/verify-token.ts';
import { issueFor, seededDeps } from '../../helpers/deps.ts';
import { partsOf, payloadOf } from '../../helpers/forge.ts';

describe('issueToken', () => {
  it('answers ECOSYSTEM_NOT_FOUND for an unknown ecosystem', async () => {
    const deps = await seededDeps();
    await expect(issueFor(deps, {}, { ecosystemId: 'nowhere' })).rejects.toMatchObject({
      code: 'ECOSYSTEM_NOT_FOUND',
    });
  });

  it('answers USER_NOT_FOUND for an unknown user of a known ecosystem', async () => {
    const deps = await seededDeps();
    await expect(issueFor(deps, {}, { userId: 'bob' })).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
  });

  it('signs an ES256 JWT with the service key id and the documented claims, by default FixedTtl 3600', async () => {
    const deps = await seededDeps();
    const now = deps.clock.seconds();
    const issued = await issueFor(deps);
    expect(partsOf(issued.token).header).toEqual({ alg: 'ES256', typ: 'JWT', kid: await deps.signer.kid() });
    expect(payloadOf(issued.token)).toEqual({
      iss: 'tessera',
      sub: 'alice',
      jti: issued.tokenId,
      iat: now,
      exp: now + 3600,
      'tsr:eco': 'eco1',
      'tsr:expiry': 'FixedTtl',
      'tsr:ttl': 3600,
    });
    expect(issued).toEqual({
      token: issued.token,
      tokenId: issued.tokenId,
      expiryType: 'FixedTtl',
      ttl: 3600,
      expiresAt: isoFromSeconds(now + 3600),
      absoluteExpiresAt: null,
      lastUsedAt: null,
    });
  });

  it('puts exp only where a fixed deadline applies', async () => {
    const deps = await seededDeps();
    const now = deps.clock.seconds();
    const infinite = await issueFor(deps, { expiryType: 'Infinite' });
    const sliding = await issueFor(deps, { expiryType: 'SlidingTtl', ttl: '600' });
    const capped = await issueFor(deps, { expiryType: 'SlidingTtl', ttl: '600', maxTtl: '7200' });
    expect(payloadOf(infinite.token)).not.toHaveProperty('exp');
    expect(payloadOf(infinite.token)).not.toHaveProperty('tsr:ttl');
    expect(payloadOf(sliding.token)).not.toHaveProperty('exp');
    expect(payloadOf(sliding.token)).toMatchObject({ 'tsr:expiry': 'SlidingTtl', 'tsr:ttl': 600 });
    expect(payloadOf(capped.token)).toMatchObject({ exp: now + 7200 });
    expect(capped).toMatchObject({
      expiresAt: isoFromSeconds(now + 600),
      absoluteExpiresAt: isoFromSeconds(now + 7200),
      lastUsedAt: isoFromSeconds(now),
    });
  });

  it('records the token as the head of a new family, active, with its purge deadline', async () => {
    const deps = await seededDeps();
    const now = deps.clock.seconds();
    const issued = await issueFor(deps, { expiryType: 'SlidingTtl', ttl: '600' });
    expect(await deps.tokens.getToken(issued.tokenId)).toMatchObject({
      familyId: issued.tokenId,
      status: 'active',
      issuedAt: now,
      lastUsedAt: now,
      purgeAt: now + 600,
      userGeneration: 'g1',
    });
  });

  it('carries extra claims that verify answers unchanged', async () => {
    const deps = await seededDeps();
    const claims = { role: 'admin', scopes: ['read', 'write'], org: { id: 7, name: 'Zoë’s' }, beta: true };
    const issued = await issueFor(deps, {}, { claims });
    await expect(verifyToken(deps, issued.token)).resolves.toMatchObject({ claims });
  });

  it.each([
    ['iss'],
    ['sub'],
    ['aud'],
    ['exp'],
    ['nbf'],
    ['iat'],
    ['jti'],
    ['tsr:eco'],
    ['tsr:expiry'],
    ['tsr:x'],
  ])('refuses the reserved claim name %s with CLAIMS_INVALID', async (name) => {
    const deps = await seededDeps();
    await expect(issueFor(deps, {}, { claims: { ok: 1, [name]: 'mine' } })).rejects.toMatchObject({
      code: 'CLAIMS_INVALID',
      message: expect.stringContaining(name),
    });
  });

  it.each([[[]], [['a']], ['role=admin'], [42], [null], [true]])(
    'refuses claims that are not an object (%j) with CLAIMS_INVALID',
    async (claims) => {
      const deps = await seededDeps();
      await expect(issueFor(deps, {}, { claims })).rejects.toMatchObject({ code: 'CLAIMS_INVALID' });
    },
  );

  it('accepts claims of exactly 2 KiB as JSON and refuses one byte more', async () => {
    const deps = await seededDeps();
    const exact = { pad: 'x'.repeat(MAX_CLAIMS_BYTES - '{"pad":""}'.length) };
    expect(Buffer.byteLength(JSON.stringify(exact))).toBe(MAX_CLAIMS_BYTES);
    await expect(issueFor(deps, {}, { claims: exact })).resolves.toMatchObject({ expiryType: 'FixedTtl' });
    await expect(issueFor(deps, {}, { claims: { pad: `${exact.pad}x` } })).rejects.toMatchObject({
      code: 'CLAIMS_INVALID',
    });
  });

  it('counts the bytes of the claims, not their characters', async () => {
    const deps = await seededDeps();
    const wide = { pad: 'é'.repeat(1100) }; // 1100 characters, 2200 bytes
    await expect(issueFor(deps, {}, { claims: wide })).rejects.toMatchObject({ code: 'CLAIMS_INVALID' });
  });
});
