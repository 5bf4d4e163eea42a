// Ecosystem-wide revocation by issue time on a frozen clock: the boundary second ("before" is strict), the
// future refused beyond the clock skew, undo, the bound on how many an ecosystem holds, and the lag: at once
// in the container that made the change, at most TESSERA_ECOSYSTEM_CACHE_SECONDS in the others.
import { describe, expect, it } from 'vitest';
import { isoFromSeconds } from '../../../functions/core/clock.ts';
import { refreshToken } from '../../../functions/core/refresh-token.ts';
import {
  createRevocation,
  deleteRevocation,
  listRevocations,
  MAX_REVOCATIONS,
  parseIssuedBefore,
} from '../../../functions/core/revocations.ts';
import { revokeOtherTokens } from '../../../functions/core/revoke-others.ts';
import { revokeAllUserTokens, revokeTokenById } from '../../../functions/core/revoke-token.ts';
import { listUserTokens } from '../../../functions/core/users.ts';
import { verifyToken } from '../../../functions/core/verify-token.ts';
import { issueFor, seededDeps, type TestDeps, testDeps } from '../../helpers/deps.ts';

const alice = { ecosystemId: 'eco1', userId: 'alice' };
const iso = (seconds: number) => isoFromSeconds(seconds) ?? '';
const REVOKED = {
  code: 'TOKEN_REVOKED',
  message: expect.stringContaining('its ecosystem revoked every token issued before'),
};

/** A token issued at `at` (epoch seconds), the clock left there. */
async function issuedAt(deps: TestDeps, at: number) {
  deps.clock.set(at);
  return issueFor(deps, { expiryType: 'Infinite' });
}

describe('parseIssuedBefore', () => {
  const now = Date.parse('2027-01-15T08:00:00Z');
  const seconds = now / 1000;

  it('reads an instant in Z or with an offset', () => {
    expect(parseIssuedBefore('2027-01-15T07:00:00Z', now, 30)).toBe(seconds - 3600);
    expect(parseIssuedBefore('2027-01-15T09:00:00+02:00', now, 30)).toBe(seconds - 3600);
    expect(parseIssuedBefore('2027-01-15T02:30:00-04:30', now, 30)).toBe(seconds - 3600);
  });

  it('rounds a fraction up to the next whole second (tokens carry whole seconds)', () => {
    expect(parseIssuedBefore('2027-01-15T07:59:59.001Z', now, 30)).toBe(seconds);
    expect(parseIssuedBefore('2027-01-15T07:59:59.000Z', now, 30)).toBe(seconds - 1);
    expect(parseIssuedBefore('2027-01-15T07:59:58.999999999Z', now, 30)).toBe(seconds - 1);
  });

  it('takes up to now plus the clock skew, and refuses the next millisecond', () => {
    expect(parseIssuedBefore('2027-01-15T08:00:30Z', now, 30)).toBe(seconds + 30);
    expect(() => parseIssuedBefore('2027-01-15T08:00:30.001Z', now, 30)).toThrow(
      expect.objectContaining({ code: 'BODY_INVALID', message: expect.stringContaining('future') }),
    );
    expect(() => parseIssuedBefore('2027-01-15T08:00:01Z', now, 0)).toThrow(/future/);
  });

  it.each([
    ['missing', undefined],
    ['a number', 1_800_000_000],
    ['a date alone', '2027-01-15'],
    ['without a zone', '2027-01-15T07:00:00'],
    ['a day that does not exist', '2027-02-30T00:00:00Z'],
    ['hour 24', '2027-01-15T24:00:00Z'],
    ['an offset past 23 hours', '2027-01-15T07:00:00+24:00'],
    ['words', 'yesterday'],
    ['null', null],
  ])('refuses %s with BODY_INVALID naming issuedBefore', (_, value) => {
    expect(() => parseIssuedBefore(value, now, 30)).toThrow(
      expect.objectContaining({ code: 'BODY_INVALID', message: expect.stringContaining('issuedBefore') }),
    );
  });

  it('reads years before 100 as written, not as 19xx', () => {
    const year99 = Date.parse('0099-12-31T23:59:59Z') / 1000; // Date.parse reads ISO years literally
    expect(year99).toBeLessThan(Date.parse('1900-01-01T00:00:00Z') / 1000);
    expect(parseIssuedBefore('0099-12-31T23:59:59Z', now, 30)).toBe(year99);
  });
});

describe('createRevocation', () => {
  it('revokes every token issued before the instant; one issued at that very second is not revoked', async () => {
    const deps = await seededDeps();
    const t0 = deps.clock.seconds();
    const early = await issuedAt(deps, t0 - 1); // the second before
    const boundary = await issuedAt(deps, t0); // at issuedBefore: "before" is strict
    deps.clock.set(t0 + 10);
    const created = await createRevocation(deps, 'eco1', { issuedBefore: iso(t0) });
    expect(created).toMatchObject({ issuedBefore: iso(t0), createdAt: iso(t0 + 10) });

    await expect(verifyToken(deps, early.token)).rejects.toMatchObject(REVOKED);
    await expect(verifyToken(deps, boundary.token)).resolves.toMatchObject({ valid: true });
    const later = await issueFor(deps, { expiryType: 'Infinite' });
    await expect(verifyToken(deps, later.token)).resolves.toMatchObject({ valid: true });
  });

  it('refuses the revoked tokens on refresh and on revoke-others too, and leaves them out of the listing', async () => {
    const deps = await seededDeps();
    const t0 = deps.clock.seconds();
    const old = await issuedAt(deps, t0 - 5);
    const kept = await issuedAt(deps, t0);
    await createRevocation(deps, 'eco1', { issuedBefore: iso(t0) });
    await expect(refreshToken(deps, old.token)).rejects.toMatchObject(REVOKED);
    await expect(revokeOtherTokens(deps, old.token)).rejects.toMatchObject(REVOKED);
    const { tokens } = await listUserTokens(deps, alice);
    expect(tokens.map((t) => t.tokenId)).toEqual([kept.tokenId]);
  });

  it('applies the latest issuedBefore of several, and undoing it brings back the one before', async () => {
    const deps = await seededDeps();
    const t0 = deps.clock.seconds();
    const a = await issuedAt(deps, t0 - 20);
    const b = await issuedAt(deps, t0 - 10);
    await createRevocation(deps, 'eco1', { issuedBefore: iso(t0 - 15) });
    const latest = await createRevocation(deps, 'eco1', { issuedBefore: iso(t0 - 5) });
    await expect(verifyToken(deps, b.token)).rejects.toMatchObject(REVOKED);

    await deleteRevocation(deps, 'eco1', latest.revocationId);
    await expect(verifyToken(deps, b.token)).resolves.toMatchObject({ valid: true });
    await expect(verifyToken(deps, a.token)).rejects.toMatchObject(REVOKED);
  });

  it('revokes tokens issued up to the clock skew ahead, and refuses an instant further in the future', async () => {
    const deps = await seededDeps({ config: { clockSkewSeconds: 30 } });
    const t0 = deps.clock.seconds();
    await createRevocation(deps, 'eco1', { issuedBefore: iso(t0 + 30) });
    const fresh = await issuedAt(deps, t0 + 29);
    await expect(verifyToken(deps, fresh.token)).rejects.toMatchObject(REVOKED);
    deps.clock.set(t0);
    await expect(createRevocation(deps, 'eco1', { issuedBefore: iso(t0 + 31) })).rejects.toMatchObject({
      code: 'BODY_INVALID',
    });
  });

  it('answers ECOSYSTEM_NOT_FOUND for an ecosystem that does not exist', async () => {
    const deps = await seededDeps();
    await expect(
      createRevocation(deps, 'nope', { issuedBefore: iso(deps.clock.seconds()) }),
    ).rejects.toMatchObject({ code: 'ECOSYSTEM_NOT_FOUND' });
  });

  it(`holds at most ${MAX_REVOCATIONS}: the next is REVOCATION_LIMIT_REACHED, and an undo makes room`, async () => {
    const deps = await seededDeps();
    const t0 = deps.clock.seconds();
    const made = [];
    for (let i = 0; i < MAX_REVOCATIONS; i++) {
      made.push(await createRevocation(deps, 'eco1', { issuedBefore: iso(t0 - 1000 + i) }));
    }
    await expect(createRevocation(deps, 'eco1', { issuedBefore: iso(t0) })).rejects.toMatchObject({
      code: 'REVOCATION_LIMIT_REACHED',
      message: expect.stringContaining(String(MAX_REVOCATIONS)),
    });
    expect((await listRevocations(deps, 'eco1')).revocations).toHaveLength(MAX_REVOCATIONS);
    await deleteRevocation(deps, 'eco1', made[0]?.revocationId ?? '');
    await expect(createRevocation(deps, 'eco1', { issuedBefore: iso(t0) })).resolves.toMatchObject({});
  });
});

describe('listRevocations', () => {
  it('answers them newest first, within one second too (to the millisecond)', async () => {
    const deps = await seededDeps();
    const t0 = deps.clock.seconds();
    const first = await createRevocation(deps, 'eco1', { issuedBefore: iso(t0 - 100) });
    deps.clock.advance(0.001); // ids sort by creation to the millisecond
    const second = await createRevocation(deps, 'eco1', { issuedBefore: iso(t0 - 200) });
    deps.clock.advance(1);
    const third = await createRevocation(deps, 'eco1', { issuedBefore: iso(t0 - 50) });
    const { revocations } = await listRevocations(deps, 'eco1');
    expect(revocations.map((r) => r.revocationId)).toEqual([
      third.revocationId,
      second.revocationId,
      first.revocationId,
    ]);
    expect(revocations[1]).toEqual(second);
  });

  it('answers ECOSYSTEM_NOT_FOUND for an ecosystem that does not exist', async () => {
    const deps = await seededDeps();
    await expect(listRevocations(deps, 'nope')).rejects.toMatchObject({ code: 'ECOSYSTEM_NOT_FOUND' });
  });
});

describe('deleteRevocation', () => {
  it('undoes it, while tokens revoked one by one, by user or by another revocation stay revoked', async () => {
    const deps = await seededDeps();
    const t0 = deps.clock.seconds();
    const byId = await issuedAt(deps, t0 - 30);
    const plain = await issuedAt(deps, t0 - 20);
    deps.clock.set(t0);
    await revokeTokenById(deps, { ...alice, tokenId: byId.tokenId });
    const wide = await createRevocation(deps, 'eco1', { issuedBefore: iso(t0) });
    await deleteRevocation(deps, 'eco1', wide.revocationId);

    await expect(verifyToken(deps, plain.token)).resolves.toMatchObject({ valid: true });
    await expect(verifyToken(deps, byId.token)).rejects.toMatchObject({
      code: 'TOKEN_REVOKED',
      message: expect.stringContaining('it was revoked'),
    });

    await revokeAllUserTokens(deps, alice);
    const again = await createRevocation(deps, 'eco1', { issuedBefore: iso(t0) });
    await deleteRevocation(deps, 'eco1', again.revocationId);
    await expect(verifyToken(deps, plain.token)).rejects.toMatchObject({
      message: expect.stringContaining("all of the user's tokens"),
    });
  });

  it('answers REVOCATION_NOT_FOUND for an id it does not hold (a deleted one, a malformed one)', async () => {
    const deps = await seededDeps();
    const made = await createRevocation(deps, 'eco1', { issuedBefore: iso(deps.clock.seconds()) });
    await deleteRevocation(deps, 'eco1', made.revocationId);
    for (const revocationId of [made.revocationId, 'nope', '../x', 'a'.repeat(300)]) {
      await expect(deleteRevocation(deps, 'eco1', revocationId)).rejects.toMatchObject({
        code: 'REVOCATION_NOT_FOUND',
      });
    }
    await expect(deleteRevocation(deps, 'nope', made.revocationId)).rejects.toMatchObject({
      code: 'ECOSYSTEM_NOT_FOUND',
    });
  });
});

describe('the revocation lag, with the ecosystem state cached in another container', () => {
  /** Two containers over one store: `admin` makes the change, `verify` has the ecosystem state cached. */
  async function twoContainers(ecosystemCacheSeconds: number) {
    const admin = await seededDeps({ config: { ecosystemCacheSeconds } });
    const verify = await testDeps({
      store: admin,
      clock: admin.clock,
      signer: admin.signer,
      config: { ecosystemCacheSeconds },
    });
    const t0 = admin.clock.seconds();
    const issued = await issuedAt(admin, t0 - 1);
    admin.clock.set(t0);
    await expect(verifyToken(verify, issued.token)).resolves.toMatchObject({ valid: true }); // cached now
    return { admin, verify, token: issued.token, t0 };
  }

  it('is at most the bound for a revocation: passes until then, refused from the bound on', async () => {
    const { admin, verify, token, t0 } = await twoContainers(3);
    await createRevocation(admin, 'eco1', { issuedBefore: iso(t0) });
    await expect(verifyToken(admin, token)).rejects.toMatchObject(REVOKED); // its own container: at once
    admin.clock.advance(2.999);
    await expect(verifyToken(verify, token)).resolves.toMatchObject({ valid: true }); // within the bound
    admin.clock.advance(0.001);
    await expect(verifyToken(verify, token)).rejects.toMatchObject(REVOKED); // at the bound, never later
  });

  it('is at most the bound for an undo too', async () => {
    const { admin, verify, token, t0 } = await twoContainers(3);
    const made = await createRevocation(admin, 'eco1', { issuedBefore: iso(t0) });
    admin.clock.advance(3);
    await expect(verifyToken(verify, token)).rejects.toMatchObject(REVOKED); // cached as revoked now
    await deleteRevocation(admin, 'eco1', made.revocationId);
    admin.clock.advance(2.999);
    await expect(verifyToken(verify, token)).rejects.toMatchObject(REVOKED);
    admin.clock.advance(0.001);
    await expect(verifyToken(verify, token)).resolves.toMatchObject({ valid: true });
  });

  it('is 0 with the cache off (TESSERA_ECOSYSTEM_CACHE_SECONDS=0)', async () => {
    const { admin, verify, token, t0 } = await twoContainers(0);
    await createRevocation(admin, 'eco1', { issuedBefore: iso(t0) });
    await expect(verifyToken(verify, token)).rejects.toMatchObject(REVOKED);
  });
});
