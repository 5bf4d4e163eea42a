// The three expiry models: how a request names one (parseExpiry), and when a token of each stops verifying,
// checked through verifyToken at one second before, at and after every deadline with a frozen clock.
import { describe, expect, it } from 'vitest';
import { isoFromSeconds } from '../../../functions/core/clock.ts';
import { parseExpiry, type RawExpiry, touchWindowSeconds } from '../../../functions/core/expiry.ts';
import { verifyToken } from '../../../functions/core/verify-token.ts';
import { issueFor, seedUser, type TestDeps, testDeps } from '../../helpers/deps.ts';

const MAX = 31_536_000;

async function ready(): Promise<TestDeps> {
  const deps = await testDeps();
  await seedUser(deps);
  return deps;
}

describe('parseExpiry', () => {
  it('defaults to FixedTtl with a ttl of 3600 seconds', () => {
    expect(parseExpiry({}, MAX)).toEqual({ expiryType: 'FixedTtl', ttl: 3600, maxTtl: null });
  });

  it('reads whole seconds from query strings and numbers from direct invocations', () => {
    expect(parseExpiry({ expiryType: 'SlidingTtl', ttl: '900', maxTtl: '86400' }, MAX)).toEqual({
      expiryType: 'SlidingTtl',
      ttl: 900,
      maxTtl: 86400,
    });
    expect(parseExpiry({ expiryType: 'FixedTtl', ttl: 60 }, MAX)).toEqual({
      expiryType: 'FixedTtl',
      ttl: 60,
      maxTtl: null,
    });
  });

  it('ignores the ttl of an Infinite token, even a malformed one', () => {
    expect(parseExpiry({ expiryType: 'Infinite', ttl: '60' }, MAX)).toEqual({
      expiryType: 'Infinite',
      ttl: null,
      maxTtl: null,
    });
    expect(parseExpiry({ expiryType: 'Infinite', ttl: 'soon' }, MAX).ttl).toBeNull();
  });

  it('accepts a ttl of 1 and of exactly the configured maximum', () => {
    expect(parseExpiry({ ttl: '1' }, MAX).ttl).toBe(1);
    expect(parseExpiry({ ttl: String(MAX) }, MAX).ttl).toBe(MAX);
    expect(parseExpiry({ expiryType: 'SlidingTtl', ttl: '10', maxTtl: '10' }, MAX).maxTtl).toBe(10);
  });

  const invalidDurations: [string, RawExpiry][] = [
    ['a ttl of 0', { ttl: '0' }],
    ['a negative ttl', { ttl: '-5' }],
    ['a negative numeric ttl', { ttl: -5 }],
    ['a fractional ttl', { ttl: '1.5' }],
    ['a fractional numeric ttl', { ttl: 1.5 }],
    ['a ttl in exponent notation', { ttl: '1e3' }],
    ['a non-numeric ttl', { ttl: 'abc' }],
    ['an empty ttl', { ttl: '' }],
    ['a ttl with spaces', { ttl: ' 60' }],
    ['a ttl of true', { ttl: true }],
    ['a ttl over the configured maximum', { ttl: String(MAX + 1) }],
    ['a huge ttl', { ttl: '99999999999999999999' }],
    ['a maxTtl below the ttl', { expiryType: 'SlidingTtl', ttl: '100', maxTtl: '99' }],
    ['a maxTtl below the default ttl', { expiryType: 'SlidingTtl', maxTtl: '3599' }],
    [
      'a maxTtl over the configured maximum',
      { expiryType: 'SlidingTtl', ttl: '100', maxTtl: String(MAX + 1) },
    ],
    ['a non-numeric maxTtl', { expiryType: 'SlidingTtl', maxTtl: 'forever' }],
    ['a maxTtl on a FixedTtl token', { expiryType: 'FixedTtl', maxTtl: '7200' }],
    ['a maxTtl on the default (FixedTtl) type', { maxTtl: '7200' }],
    ['a maxTtl on an Infinite token', { expiryType: 'Infinite', maxTtl: '7200' }],
  ];
  it.each(invalidDurations)('refuses %s with TOKEN_DURATION_INVALID', (_, raw) => {
    expect(() => parseExpiry(raw, MAX)).toThrow(expect.objectContaining({ code: 'TOKEN_DURATION_INVALID' }));
  });

  it('reads JSON null as an absent field, for every field alike (direct events may send it)', () => {
    expect(parseExpiry({ expiryType: null, ttl: null, maxTtl: null }, MAX)).toEqual({
      expiryType: 'FixedTtl',
      ttl: 3600,
      maxTtl: null,
    });
    expect(parseExpiry({ expiryType: 'Infinite', maxTtl: null }, MAX)).toMatchObject({
      expiryType: 'Infinite',
    });
  });

  it('lowers the default ttl to a configured maximum below 3600', () => {
    expect(parseExpiry({}, 600)).toEqual({ expiryType: 'FixedTtl', ttl: 600, maxTtl: null });
    expect(parseExpiry({ expiryType: 'SlidingTtl', maxTtl: '600' }, 600)).toMatchObject({
      ttl: 600,
      maxTtl: 600,
    });
  });

  it('refuses a ttl over a lower configured maximum', () => {
    expect(() => parseExpiry({ ttl: '3601' }, 3600)).toThrow(
      expect.objectContaining({ code: 'TOKEN_DURATION_INVALID', message: expect.stringContaining('3600') }),
    );
  });

  it.each([['fixedttl'], ['FIXEDTTL'], ['slidingTTL'], ['infinite'], ['Never'], [''], [' FixedTtl'], [3]])(
    'refuses the expiry type %j with TOKEN_EXPIRATION_TYPE_INVALID',
    (expiryType) => {
      expect(() => parseExpiry({ expiryType }, MAX)).toThrow(
        expect.objectContaining({ code: 'TOKEN_EXPIRATION_TYPE_INVALID' }),
      );
    },
  );
});

describe('touchWindowSeconds', () => {
  it('is a tenth of the ttl, at most 60 seconds', () => {
    expect(touchWindowSeconds(100)).toBe(10);
    expect(touchWindowSeconds(600)).toBe(60);
    expect(touchWindowSeconds(86_400)).toBe(60);
    expect(touchWindowSeconds(5)).toBe(0);
  });
});

describe('a FixedTtl token, through verifyToken', () => {
  it.each([
    [99, true],
    [100, false],
    [101, false],
  ])('issued with ttl 100, verifies %i seconds later: %s', async (elapsed, valid) => {
    const deps = await ready();
    const issuedAt = deps.clock.seconds();
    const issued = await issueFor(deps, { expiryType: 'FixedTtl', ttl: '100' });
    expect(issued.expiresAt).toBe(isoFromSeconds(issuedAt + 100));
    deps.clock.advance(elapsed);
    const check = verifyToken(deps, issued.token);
    if (valid) {
      await expect(check).resolves.toMatchObject({ expiresAt: isoFromSeconds(issuedAt + 100) });
    } else {
      await expect(check).rejects.toMatchObject({
        code: 'TOKEN_EXPIRED',
        message: expect.stringContaining('fixed deadline'),
      });
    }
  });

  it('is not extended by use', async () => {
    const deps = await ready();
    const { token } = await issueFor(deps, { ttl: '100' });
    deps.clock.advance(50);
    await verifyToken(deps, token);
    deps.clock.advance(50);
    await expect(verifyToken(deps, token)).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
  });
});

describe('an Infinite token, through verifyToken', () => {
  it('still verifies a hundred years later, with no deadline in its answers', async () => {
    const deps = await ready();
    const issued = await issueFor(deps, { expiryType: 'Infinite' });
    expect(issued).toMatchObject({ ttl: null, expiresAt: null, absoluteExpiresAt: null, lastUsedAt: null });
    deps.clock.advance(100 * 365 * 86_400);
    await expect(verifyToken(deps, issued.token)).resolves.toMatchObject({
      expiryType: 'Infinite',
      expiresAt: null,
      absoluteExpiresAt: null,
      lastUsedAt: null,
    });
  });
});

describe('a SlidingTtl token, through verifyToken', () => {
  it.each([
    [99, true],
    [100, false],
    [101, false],
  ])('issued with ttl 100 and left idle, verifies %i seconds later: %s', async (elapsed, valid) => {
    const deps = await ready();
    const issuedAt = deps.clock.seconds();
    const issued = await issueFor(deps, { expiryType: 'SlidingTtl', ttl: '100' });
    expect(issued).toMatchObject({
      expiresAt: isoFromSeconds(issuedAt + 100),
      absoluteExpiresAt: null,
      lastUsedAt: isoFromSeconds(issuedAt),
    });
    deps.clock.advance(elapsed);
    const check = verifyToken(deps, issued.token);
    if (valid) {
      await expect(check).resolves.toMatchObject({ valid: true });
    } else {
      await expect(check).rejects.toMatchObject({
        code: 'TOKEN_EXPIRED',
        message: expect.stringContaining('idle longer than its sliding ttl'),
      });
    }
  });

  it('restarts its clock at each use, and reports the moved deadline', async () => {
    const deps = await ready();
    const start = deps.clock.seconds();
    const { token } = await issueFor(deps, { expiryType: 'SlidingTtl', ttl: '100' });
    deps.clock.advance(60);
    await expect(verifyToken(deps, token)).resolves.toMatchObject({
      lastUsedAt: isoFromSeconds(start + 60),
      expiresAt: isoFromSeconds(start + 160),
    });
    deps.clock.advance(99); // start + 159: past the first deadline, 99 s after the last use
    await expect(verifyToken(deps, token)).resolves.toMatchObject({ expiresAt: isoFromSeconds(start + 259) });
    deps.clock.advance(100); // start + 259: exactly ttl after the last use
    await expect(verifyToken(deps, token)).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
  });

  it('writes nothing for a use inside the coalescing window, and records one at its end', async () => {
    const deps = await ready();
    const start = deps.clock.seconds();
    const issued = await issueFor(deps, { expiryType: 'SlidingTtl', ttl: '100' }); // window: 10 s
    deps.clock.advance(9);
    const inside = await verifyToken(deps, issued.token);
    expect((await deps.tokens.getToken(issued.tokenId))?.lastUsedAt).toBe(start);
    expect(inside).toMatchObject({
      lastUsedAt: isoFromSeconds(start),
      expiresAt: isoFromSeconds(start + 100),
    });
    deps.clock.advance(1);
    const atEnd = await verifyToken(deps, issued.token);
    expect((await deps.tokens.getToken(issued.tokenId))?.lastUsedAt).toBe(start + 10);
    expect(atEnd).toMatchObject({
      lastUsedAt: isoFromSeconds(start + 10),
      expiresAt: isoFromSeconds(start + 110),
    });
  });

  it('records every use that is at least a second apart when ttl / 10 is under a second', async () => {
    const deps = await ready();
    const start = deps.clock.seconds();
    const issued = await issueFor(deps, { expiryType: 'SlidingTtl', ttl: '5' });
    deps.clock.advance(1);
    await verifyToken(deps, issued.token);
    expect((await deps.tokens.getToken(issued.tokenId))?.lastUsedAt).toBe(start + 1);
    deps.clock.advance(4);
    await expect(verifyToken(deps, issued.token)).resolves.toMatchObject({ valid: true });
  });

  it('expires at most one window early: an unrecorded use at the end of the window is the worst case', async () => {
    const deps = await ready();
    const start = deps.clock.seconds();
    const { token } = await issueFor(deps, { expiryType: 'SlidingTtl', ttl: '100' });
    deps.clock.advance(9); // the last real use, 1 s short of the 10 s window: not recorded
    await verifyToken(deps, token);
    deps.clock.set(start + 99);
    await expect(verifyToken(deps, token)).resolves.toMatchObject({ valid: true });
    const second = await ready();
    const secondStart = second.clock.seconds();
    const again = await issueFor(second, { expiryType: 'SlidingTtl', ttl: '100' });
    second.clock.advance(9);
    await verifyToken(second, again.token);
    second.clock.set(secondStart + 100); // 91 s after the last real use: 9 s early, within one window
    await expect(verifyToken(second, again.token)).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
  });

  it.each([1, 3, 9, 10, 11, 19, 20, 59])(
    'is never valid ttl seconds after its last real use, whatever the rhythm of uses (every %i s)',
    async (gap) => {
      const ttl = 100;
      const window = touchWindowSeconds(ttl);
      const deps = await ready();
      const { token } = await issueFor(deps, { expiryType: 'SlidingTtl', ttl: String(ttl) });
      let lastUse = deps.clock.seconds();
      let expiresAt = lastUse + ttl;
      for (let use = 0; use < 12; use++) {
        deps.clock.advance(gap);
        const answer = await verifyToken(deps, token);
        lastUse = deps.clock.seconds();
        expiresAt = Date.parse(answer.expiresAt ?? '') / 1000;
        expect(expiresAt).toBeLessThanOrEqual(lastUse + ttl); // never late
        expect(expiresAt).toBeGreaterThan(lastUse + ttl - window); // at most one window early
      }
      deps.clock.set(lastUse + ttl);
      await expect(verifyToken(deps, token)).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
    },
  );

  it('stops at its absolute deadline (maxTtl) however often it is used', async () => {
    const deps = await ready();
    const start = deps.clock.seconds();
    const issued = await issueFor(deps, { expiryType: 'SlidingTtl', ttl: '100', maxTtl: '250' });
    expect(issued).toMatchObject({
      expiresAt: isoFromSeconds(start + 100),
      absoluteExpiresAt: isoFromSeconds(start + 250),
    });
    for (let t = 50; t <= 200; t += 50) {
      deps.clock.set(start + t);
      const answer = await verifyToken(deps, issued.token);
      expect(answer).toMatchObject({
        expiresAt: isoFromSeconds(Math.min(start + t + 100, start + 250)),
        absoluteExpiresAt: isoFromSeconds(start + 250),
        lastUsedAt: isoFromSeconds(start + t),
      });
    }
    deps.clock.set(start + 249);
    await expect(verifyToken(deps, issued.token)).resolves.toMatchObject({
      expiresAt: isoFromSeconds(start + 250),
    });
    deps.clock.set(start + 250);
    await expect(verifyToken(deps, issued.token)).rejects.toMatchObject({
      code: 'TOKEN_EXPIRED',
      message: expect.stringContaining('absolute deadline'),
    });
    deps.clock.set(start + 251);
    await expect(verifyToken(deps, issued.token)).rejects.toMatchObject({
      code: 'TOKEN_EXPIRED',
      message: expect.stringContaining('absolute deadline'),
    });
  });

  it('with a cap, still expires when idle for its ttl before the cap', async () => {
    const deps = await ready();
    const { token } = await issueFor(deps, { expiryType: 'SlidingTtl', ttl: '100', maxTtl: '1000' });
    deps.clock.advance(100);
    await expect(verifyToken(deps, token)).rejects.toMatchObject({
      code: 'TOKEN_EXPIRED',
      message: expect.stringContaining('idle'),
    });
  });
});

describe('the clock skew of verifyToken', () => {
  async function issuedAhead(seconds: number, config?: { clockSkewSeconds: number }) {
    const deps = await testDeps({ config });
    await seedUser(deps);
    const now = deps.clock.seconds();
    deps.clock.set(now + seconds); // the issuing clock runs ahead
    const { token } = await issueFor(deps, { expiryType: 'Infinite' });
    deps.clock.set(now);
    return verifyToken(deps, token);
  }

  it('accepts a token issued up to the default 30 s in the future', async () => {
    await expect(issuedAhead(30)).resolves.toMatchObject({ valid: true });
  });

  it('refuses a token issued more than 30 s in the future with TOKEN_NOT_YET_VALID', async () => {
    await expect(issuedAhead(31)).rejects.toMatchObject({ code: 'TOKEN_NOT_YET_VALID' });
  });

  it('follows the configured skew', async () => {
    await expect(issuedAhead(5, { clockSkewSeconds: 5 })).resolves.toMatchObject({ valid: true });
    await expect(issuedAhead(6, { clockSkewSeconds: 5 })).rejects.toMatchObject({
      code: 'TOKEN_NOT_YET_VALID',
    });
  });
});
