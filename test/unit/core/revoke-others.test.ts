// revokeOtherTokens on a frozen clock: every other token of the user stops verifying, the presented token
// and its refreshes keep working, and refreshes in flight on either side of it neither resurrect another
// token nor leave the presented family behind.
import { describe, expect, it } from 'vitest';
import type { TokenState } from '../../../functions/core/ports.ts';
import { refreshToken } from '../../../functions/core/refresh-token.ts';
import { revokeOtherTokens } from '../../../functions/core/revoke-others.ts';
import { revokeAllUserTokens, revokeTokenById } from '../../../functions/core/revoke-token.ts';
import { listUserTokens } from '../../../functions/core/users.ts';
import { verifyToken } from '../../../functions/core/verify-token.ts';
import { issueFor, seededDeps, type TestDeps } from '../../helpers/deps.ts';

const alice = { ecosystemId: 'eco1', userId: 'alice' };
const revoked = (why: string) => ({ code: 'TOKEN_REVOKED', message: expect.stringContaining(why) });

/** A promise and the function that settles it: a gate a test opens when it wants a call to go on. */
function gate(): { opened: Promise<void>; open(): void } {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

/** deps whose `method` of the token state waits for the gate, and says when it was reached. */
function holding(deps: TestDeps, method: keyof TokenState) {
  const hold = gate();
  const reached = gate();
  const original = deps.tokens[method].bind(deps.tokens) as (...args: unknown[]) => Promise<unknown>;
  const tokens = {
    ...deps.tokens,
    [method]: async (...args: unknown[]) => {
      reached.open();
      await hold.opened;
      return original(...args);
    },
  } as TokenState;
  // Bound copies of the rest, so the spread keeps working on a class instance.
  for (const name of Object.getOwnPropertyNames(Object.getPrototypeOf(deps.tokens))) {
    const key = name as keyof TokenState;
    if (name !== 'constructor' && key !== method) {
      (tokens as unknown as Record<string, unknown>)[name] = (
        deps.tokens[key] as (...a: unknown[]) => unknown
      ).bind(deps.tokens);
    }
  }
  return { deps: { ...deps, tokens }, release: hold.open, reached: reached.opened };
}

describe('revokeOtherTokens', () => {
  it("revokes the user's other tokens and answers how many were live; the presented one keeps working", async () => {
    const deps = await seededDeps();
    const presented = await issueFor(deps, { expiryType: 'SlidingTtl', ttl: '600' }, { label: 'laptop' });
    const phone = await issueFor(deps, { expiryType: 'FixedTtl' });
    const tablet = await issueFor(deps, { expiryType: 'Infinite' });

    await expect(revokeOtherTokens(deps, presented.token)).resolves.toEqual({ revoked: 2 });

    for (const other of [phone, tablet]) {
      await expect(verifyToken(deps, other.token)).rejects.toMatchObject(revoked("all of the user's tokens"));
      await expect(refreshToken(deps, other.token)).rejects.toMatchObject({ code: 'TOKEN_REVOKED' });
    }
    await expect(verifyToken(deps, presented.token)).resolves.toMatchObject({ valid: true });
    const { tokens } = await listUserTokens(deps, alice);
    expect(tokens.map((t) => [t.tokenId, t.label])).toEqual([[presented.tokenId, 'laptop']]);
  });

  it('keeps the presented family across refreshes, before and after, and lets new sign-ins work', async () => {
    const deps = await seededDeps();
    const first = await issueFor(deps);
    deps.clock.advance(1);
    const refreshed = await refreshToken(deps, first.token);
    const other = await issueFor(deps);
    await expect(revokeOtherTokens(deps, refreshed.token)).resolves.toEqual({ revoked: 1 });

    deps.clock.advance(1);
    const next = await refreshToken(deps, refreshed.token);
    await expect(verifyToken(deps, next.token)).resolves.toMatchObject({ valid: true });
    await expect(verifyToken(deps, other.token)).rejects.toMatchObject({ code: 'TOKEN_REVOKED' });
    const signedInAgain = await issueFor(deps);
    await expect(verifyToken(deps, signedInAgain.token)).resolves.toMatchObject({ valid: true });
  });

  it('counts only the other live tokens: not its own family, nor revoked, rotated or expired ones', async () => {
    const deps = await seededDeps();
    const presented = await issueFor(deps);
    const gone = await issueFor(deps);
    await revokeTokenById(deps, { ...alice, tokenId: gone.tokenId });
    const rotated = await issueFor(deps);
    await refreshToken(deps, rotated.token); // its successor counts, the rotated one does not
    const short = await issueFor(deps, { expiryType: 'FixedTtl', ttl: '5' });
    deps.clock.advance(5);
    expect(short).toBeDefined();
    await expect(revokeOtherTokens(deps, presented.token)).resolves.toEqual({ revoked: 1 });
  });

  it('answers 0 when the presented token is the only one, and changes nothing visible', async () => {
    const deps = await seededDeps();
    const only = await issueFor(deps);
    await expect(revokeOtherTokens(deps, only.token)).resolves.toEqual({ revoked: 0 });
    await expect(verifyToken(deps, only.token)).resolves.toMatchObject({ valid: true });
  });

  it('refuses a token that does not verify, with verify’s codes', async () => {
    const deps = await seededDeps();
    const issued = await issueFor(deps, { expiryType: 'FixedTtl', ttl: '10' });
    await expect(revokeOtherTokens(deps, 'not-a-token')).rejects.toMatchObject({
      code: 'TOKEN_STRUCTURE_INVALID',
    });
    deps.clock.advance(10);
    await expect(revokeOtherTokens(deps, issued.token)).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
    const revokedOne = await issueFor(deps);
    await revokeAllUserTokens(deps, alice);
    await expect(revokeOtherTokens(deps, revokedOne.token)).rejects.toMatchObject({ code: 'TOKEN_REVOKED' });
  });
});

describe('revokeOtherTokens with refreshes in flight', () => {
  it('never resurrects another token whose refresh read the user before the generation moved', async () => {
    const base = await seededDeps();
    const presented = await issueFor(base);
    const other = await issueFor(base);
    const slow = holding(base, 'rotateToken'); // the other token's refresh, held just before its write
    const refreshing = refreshToken(slow.deps, other.token);
    await slow.reached;

    await expect(revokeOtherTokens(base, presented.token)).resolves.toEqual({ revoked: 1 });
    slow.release();
    const successor = await refreshing; // the rotation itself goes through: the old token was still active
    await expect(verifyToken(base, successor.token)).rejects.toMatchObject(
      revoked("all of the user's tokens"),
    );
    await expect(refreshToken(base, successor.token)).rejects.toMatchObject({ code: 'TOKEN_REVOKED' });
    await expect(verifyToken(base, presented.token)).resolves.toMatchObject({ valid: true });
  });

  it('keeps the presented family when its own refresh read it before the re-homing and wrote after', async () => {
    const base = await seededDeps();
    const presented = await issueFor(base);
    await issueFor(base); // another token, to be revoked
    const slow = holding(base, 'rotateToken');
    const refreshing = refreshToken(slow.deps, presented.token);
    await slow.reached;

    await expect(revokeOtherTokens(base, presented.token)).resolves.toEqual({ revoked: 1 });
    slow.release();
    // Its write found the token re-homed into the new generation: the refresh started over in it.
    const successor = await refreshing;
    await expect(verifyToken(base, successor.token)).resolves.toMatchObject({ valid: true });
    const { tokens } = await listUserTokens(base, alice);
    expect(tokens.map((t) => t.tokenId)).toEqual([successor.tokenId]);
  });

  it("re-homes the refresh's successor when that refresh wrote before the re-homing did", async () => {
    const base = await seededDeps();
    const presented = await issueFor(base);
    const slow = holding(base, 'rehomeFamily'); // revoke-others, held just before its write
    const signingOut = revokeOtherTokens(slow.deps, presented.token);
    await slow.reached;

    const successor = await refreshToken(base, presented.token); // the family's head moves on
    slow.release();
    await expect(signingOut).resolves.toEqual({ revoked: 0 });
    await expect(verifyToken(base, successor.token)).resolves.toMatchObject({ valid: true });
    base.clock.advance(1);
    const next = await refreshToken(base, successor.token);
    await expect(verifyToken(base, next.token)).resolves.toMatchObject({ valid: true });
  });

  it('answers TOKEN_REVOKED, writing nothing, when all of the user’s tokens were revoked meanwhile', async () => {
    const base = await seededDeps();
    const presented = await issueFor(base);
    const slow = holding(base, 'rehomeFamily');
    const signingOut = revokeOtherTokens(slow.deps, presented.token);
    await slow.reached;
    await revokeAllUserTokens(base, alice);
    const generation = (await base.directory.getUser('eco1', 'alice'))?.generation;
    slow.release();
    await expect(signingOut).rejects.toMatchObject({ code: 'TOKEN_REVOKED' });
    expect((await base.directory.getUser('eco1', 'alice'))?.generation).toBe(generation);
  });
});
