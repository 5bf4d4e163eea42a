// verifyToken: what a valid token answers (with the user's current metadata), and how a token that is not
// ours, not signed by us, too long, or pointing at another user's record is refused.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { LocalSigner } from '../../../functions/adapters/local-signer.ts';
import { isoFromSeconds } from '../../../functions/core/clock.ts';
import { putUser } from '../../../functions/core/users.ts';
import { verifyToken } from '../../../functions/core/verify-token.ts';
import { issueFor, seededDeps, seedUser } from '../../helpers/deps.ts';
import { forgeToken, ourHeader, payloadOf } from '../../helpers/forge.ts';

describe('verifyToken', () => {
  it('answers who the token is for, its expiry, its extra claims and the user metadata', async () => {
    const deps = await seededDeps();
    const start = deps.clock.seconds();
    const issued = await issueFor(
      deps,
      { expiryType: 'FixedTtl', ttl: '600' },
      { claims: { role: 'admin' } },
    );
    await expect(verifyToken(deps, issued.token)).resolves.toEqual({
      valid: true,
      tokenId: issued.tokenId,
      userId: 'alice',
      ecosystemId: 'eco1',
      expiryType: 'FixedTtl',
      expiresAt: isoFromSeconds(start + 600),
      absoluteExpiresAt: null,
      lastUsedAt: null,
      claims: { role: 'admin' },
      metadata: { plan: 'pro' },
      audience: null,
    });
  });

  it("answers the user's current metadata, changed after the token was issued", async () => {
    const deps = await seededDeps();
    const { token } = await issueFor(deps, { expiryType: 'Infinite' });
    await putUser(deps, { ecosystemId: 'eco1', userId: 'alice', metadata: { plan: 'team', seats: 5 } });
    await expect(verifyToken(deps, token)).resolves.toMatchObject({ metadata: { plan: 'team', seats: 5 } });
    await putUser(deps, { ecosystemId: 'eco1', userId: 'alice' });
    await expect(verifyToken(deps, token)).resolves.toMatchObject({ metadata: {} });
  });

  it('answers a "__proto__" member of the metadata as an ordinary member, never as a prototype', async () => {
    const deps = await seededDeps();
    const metadata = JSON.parse('{"__proto__":{"polluted":true},"plan":"pro"}');
    await deps.directory.putUser({
      ecosystemId: 'eco1',
      userId: 'alice',
      metadata,
      createdAt: 0,
      generation: 'g1',
    });
    const { token } = await issueFor(deps, { expiryType: 'Infinite' });
    const answer = await verifyToken(deps, token);
    expect(Object.keys(answer.metadata)).toEqual(['__proto__', 'plan']);
    expect(Object.getPrototypeOf(answer.metadata)).toBe(Object.prototype);
    expect((answer.metadata as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it.each([[undefined], [null], [''], [42], [{ token: 'x' }], ['not-a-token'], ['a.b'], ['a.b.c.d']])(
    'refuses %j with TOKEN_STRUCTURE_INVALID',
    async (token) => {
      const deps = await seededDeps();
      await expect(verifyToken(deps, token)).rejects.toMatchObject({ code: 'TOKEN_STRUCTURE_INVALID' });
    },
  );

  it('refuses a token signed with a key id it does not know as TOKEN_STRUCTURE_INVALID', async () => {
    const deps = await seededDeps();
    const { token } = await issueFor(deps);
    const stranger = await LocalSigner.fromKey();
    const foreign = await forgeToken(stranger, await ourHeader(stranger), payloadOf(token));
    await expect(verifyToken(deps, foreign)).rejects.toMatchObject({
      code: 'TOKEN_STRUCTURE_INVALID',
      message: expect.stringContaining('key this service does not know'),
    });
  });

  it('refuses a token whose signature was made by another key under our kid as TOKEN_SIGNATURE_INVALID', async () => {
    const deps = await seededDeps();
    const { token } = await issueFor(deps);
    const impostor = await LocalSigner.fromKey(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
    const forged = await forgeToken(impostor, await ourHeader(deps.signer), payloadOf(token));
    await expect(verifyToken(deps, forged)).rejects.toMatchObject({ code: 'TOKEN_SIGNATURE_INVALID' });
  });

  it('refuses a token whose payload was changed after signing as TOKEN_SIGNATURE_INVALID', async () => {
    const deps = await seededDeps();
    const { token } = await issueFor(deps, { expiryType: 'FixedTtl', ttl: '60' });
    const [header, , signature] = token.split('.');
    const longer = { ...payloadOf(token), exp: deps.clock.seconds() + 999_999 };
    const tampered = `${header}.${Buffer.from(JSON.stringify(longer)).toString('base64url')}.${signature}`;
    await expect(verifyToken(deps, tampered)).rejects.toMatchObject({ code: 'TOKEN_SIGNATURE_INVALID' });
  });

  it('accepts a genuine token of up to 8 KiB and refuses a longer one before decoding it', async () => {
    const deps = await seededDeps();
    const issued = await issueFor(deps, { expiryType: 'Infinite' });
    const header = await ourHeader(deps.signer);
    let padding = 5800;
    let fits = '';
    let tooLong = '';
    while (tooLong === '') {
      const token = await forgeToken(deps.signer, header, {
        ...payloadOf(issued.token),
        pad: 'x'.repeat(padding),
      });
      if (token.length <= 8192) fits = token;
      else tooLong = token;
      padding++;
    }
    expect(fits.length).toBeGreaterThan(8188);
    await expect(verifyToken(deps, fits)).resolves.toMatchObject({ tokenId: issued.tokenId });

    const keyLookups = vi.spyOn(deps.keys, 'get');
    await expect(verifyToken(deps, tooLong)).rejects.toMatchObject({
      code: 'TOKEN_STRUCTURE_INVALID',
      message: expect.stringContaining('8192'),
    });
    expect(keyLookups).not.toHaveBeenCalled();
  });

  it("refuses a genuine token naming another user than its record's as TOKEN_REVOKED", async () => {
    const deps = await seededDeps();
    await seedUser(deps, 'eco1', 'bob');
    const { token } = await issueFor(deps, { expiryType: 'Infinite' });
    const claims = { ...payloadOf(token), sub: 'bob' };
    const mixed = await forgeToken(deps.signer, await ourHeader(deps.signer), claims);
    await expect(verifyToken(deps, mixed)).rejects.toMatchObject({
      code: 'TOKEN_REVOKED',
      message: expect.stringContaining('record disagrees'),
    });
  });

  it("refuses a genuine token naming another ecosystem than its record's as TOKEN_REVOKED", async () => {
    const deps = await seededDeps();
    await seedUser(deps, 'eco2', 'alice');
    const { token } = await issueFor(deps, { expiryType: 'Infinite' });
    const claims = { ...payloadOf(token), 'tsr:eco': 'eco2' };
    const mixed = await forgeToken(deps.signer, await ourHeader(deps.signer), claims);
    await expect(verifyToken(deps, mixed)).rejects.toMatchObject({ code: 'TOKEN_REVOKED' });
  });

  it('refuses a genuine token the service has no record of', async () => {
    const deps = await seededDeps();
    const { token } = await issueFor(deps, { expiryType: 'Infinite' });
    const unknown = { ...payloadOf(token), jti: 'never-issued' };
    const forged = await forgeToken(deps.signer, await ourHeader(deps.signer), unknown);
    await expect(verifyToken(deps, forged)).rejects.toMatchObject({ code: 'TOKEN_REVOKED' });
    const sliding = await issueFor(deps, { expiryType: 'SlidingTtl', ttl: '100' });
    const purged = { ...payloadOf(sliding.token), jti: 'purged-long-ago' };
    const forgedSliding = await forgeToken(deps.signer, await ourHeader(deps.signer), purged);
    await expect(verifyToken(deps, forgedSliding)).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
  });
});
