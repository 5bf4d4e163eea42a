// Usage counting with a frozen clock: monthly active identities (once per user per UTC month, per
// ecosystem), outcomes and refusals by code per UTC day, "no identity" refusals, batching, and the hot path:
// an already-active user's verify makes one store call, and no verify writes an item the ecosystem shares.
import { describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../../functions/adapters/embedded-store.ts';
import { EcosystemStateCache } from '../../../functions/core/ecosystem-state.ts';
import { TesseraError } from '../../../functions/core/errors.ts';
import type { StorePorts } from '../../../functions/core/ports.ts';
import { refreshToken } from '../../../functions/core/refresh-token.ts';
import { revokeTokenById } from '../../../functions/core/revoke-token.ts';
import { usageRange } from '../../../functions/core/usage.ts';
import { UsageRecorder } from '../../../functions/core/usage-recorder.ts';
import { getUsage } from '../../../functions/core/usage-report.ts';
import { deleteUser } from '../../../functions/core/users.ts';
import { verifyToken } from '../../../functions/core/verify-token.ts';
import { frozenClock } from '../../helpers/clock.ts';
import { issueFor, seedUser, type TestDeps, testDeps } from '../../helpers/deps.ts';
import { forgeToken, ourHeader, payloadOf } from '../../helpers/forge.ts';

const at = (iso: string) => Date.parse(iso) / 1000;

/** A store's ports with every method call counted by name, in one list: the round trips a use-case makes. */
function countingPorts(store: StorePorts): { ports: StorePorts; calls: string[] } {
  const calls: string[] = [];
  const counted = <Port extends object>(port: Port): Port =>
    new Proxy(port, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          calls.push(String(name));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  const ports = {
    tokens: counted(store.tokens),
    directory: counted(store.directory),
    serverTokens: counted(store.serverTokens),
    usageCounters: counted(store.usageCounters),
    providers: counted(store.providers),
  };
  return { ports, calls };
}

async function ready(start = '2026-11-30T23:59:00Z', options: { maxPendingEvents?: number } = {}) {
  const deps: TestDeps = await testDeps({ clock: frozenClock(at(start)) });
  const counting = countingPorts(deps);
  const usage = new UsageRecorder({ counters: counting.ports.usageCounters, clock: deps.clock, ...options });
  const ecosystemState = new EcosystemStateCache({
    read: (id) => counting.ports.directory.getEcosystemState(id),
    clock: deps.clock,
    maxAgeSeconds: deps.config.ecosystemCacheSeconds,
  });
  const counted = { ...deps, ...counting.ports, usage, ecosystemState };
  await seedUser(deps, 'eco1', 'alice');
  await seedUser(deps, 'eco2', 'alice');
  return { deps: counted, calls: counting.calls, usage, clock: deps.clock };
}

describe('monthly active identities', () => {
  it('counts a user once per UTC month: again on the 1st of the next month, not twice in one', async () => {
    const { deps, clock } = await ready('2026-11-30T23:59:58Z');
    const { token } = await issueFor(deps, { expiryType: 'Infinite' });

    await verifyToken(deps, token);
    clock.advance(1); // 23:59:59, still November
    await verifyToken(deps, token);
    clock.advance(1); // 2026-12-01T00:00:00Z
    await verifyToken(deps, token);
    await verifyToken(deps, token);

    const report = await getUsage(deps, 'eco1', { from: '2026-11-30', to: '2026-12-01' });
    expect(report.months).toEqual([
      { month: '2026-11', activeIdentities: 1 },
      { month: '2026-12', activeIdentities: 1 },
    ]);
    expect(report.days.map((d) => [d.date, d.newActiveIdentities, d.verified])).toEqual([
      ['2026-11-30', 1, 2],
      ['2026-12-01', 1, 2],
    ]);
  });

  it('counts a user active in two ecosystems in each of them', async () => {
    const { deps } = await ready();
    const one = await issueFor(deps, { expiryType: 'Infinite' }, { ecosystemId: 'eco1' });
    const two = await issueFor(deps, { expiryType: 'Infinite' }, { ecosystemId: 'eco2' });
    await verifyToken(deps, one.token);
    await verifyToken(deps, two.token);
    await verifyToken(deps, two.token);

    for (const eco of ['eco1', 'eco2']) {
      const report = await getUsage(deps, eco, { from: '2026-11-30', to: '2026-11-30' });
      expect(report.months).toEqual([{ month: '2026-11', activeIdentities: 1 }]);
    }
  });

  it('counts a refresh as activity, and a refresh of an already-active user costs no extra write', async () => {
    const { deps, calls } = await ready();
    const { token } = await issueFor(deps, { expiryType: 'SlidingTtl', ttl: '600' });
    const { token: next } = await refreshToken(deps, token);
    calls.length = 0;
    await refreshToken(deps, next);
    expect(calls).not.toContain('markActive');

    const report = await getUsage(deps, 'eco1', { from: '2026-11-30', to: '2026-11-30' });
    expect(report.months).toEqual([{ month: '2026-11', activeIdentities: 1 }]);
    expect(report.days[0]).toMatchObject({ issued: 1, refreshed: 2, newActiveIdentities: 1 });
  });

  it('does not count a deleted user active: its refusal is a "no identity" TOKEN_REVOKED', async () => {
    const { deps } = await ready();
    const { token } = await issueFor(deps, { expiryType: 'Infinite' });
    await deleteUser(deps, { ecosystemId: 'eco1', userId: 'alice' });

    await expect(verifyToken(deps, token)).rejects.toMatchObject({ code: 'TOKEN_REVOKED' });

    const [day] = (await getUsage(deps, 'eco1', { from: '2026-11-30', to: '2026-11-30' })).days;
    expect(day).toMatchObject({ verified: 0, newActiveIdentities: 0, noIdentity: 1 });
    expect(day?.refused.TOKEN_REVOKED).toBe(1);
  });
});

describe('outcome counts', () => {
  it('counts issued, verified, revoked and refusals by code, a revoked known user not as "no identity"', async () => {
    const { deps } = await ready();
    const fixed = await issueFor(deps, { expiryType: 'FixedTtl', ttl: '30' });
    const other = await issueFor(deps, { expiryType: 'Infinite' });
    await verifyToken(deps, fixed.token);
    await revokeTokenById(deps, { ecosystemId: 'eco1', userId: 'alice', tokenId: other.tokenId });
    await expect(verifyToken(deps, other.token)).rejects.toMatchObject({ code: 'TOKEN_REVOKED' });
    deps.clock.advance(61);
    await expect(verifyToken(deps, fixed.token)).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });

    const report = await getUsage(deps, 'eco1', { from: '2026-11-30', to: '2026-12-01' });
    const [day30, day1] = report.days;
    expect(day30).toMatchObject({ issued: 2, verified: 1, revoked: 1, noIdentity: 0 });
    expect(day30?.refused).toMatchObject({ TOKEN_REVOKED: 1, TOKEN_EXPIRED: 0 });
    expect(day1?.refused.TOKEN_EXPIRED).toBe(1); // 61 s later is the next UTC day
  });

  it('counts a forged token under the ecosystem it claims, as "no identity"; garbage under none', async () => {
    const { deps, usage } = await ready();
    const { token } = await issueFor(deps, { expiryType: 'Infinite' });
    const stranger = await testDeps();
    const forged = await forgeToken(stranger.signer, await ourHeader(deps.signer), payloadOf(token));

    await expect(verifyToken(deps, forged)).rejects.toMatchObject({ code: 'TOKEN_SIGNATURE_INVALID' });
    await expect(verifyToken(deps, 'not-a-token')).rejects.toMatchObject({ code: 'TOKEN_STRUCTURE_INVALID' });
    expect(usage.pendingEvents).toBe(3); // the issue, the forged refusal, its "no identity"

    const [day] = (await getUsage(deps, 'eco1', { from: '2026-11-30', to: '2026-11-30' })).days;
    expect(day).toMatchObject({ noIdentity: 1, issued: 1 });
    expect(day?.refused).toMatchObject({ TOKEN_SIGNATURE_INVALID: 1, TOKEN_STRUCTURE_INVALID: 0 });
  });

  it('counts a forgery under its claimed ecosystem only once this process saw that ecosystem authentically', async () => {
    const { deps, usage } = await ready();
    const stranger = await testDeps();
    const claims = {
      iss: 'tessera',
      sub: 'alice',
      jti: 'forged',
      iat: deps.clock.seconds(),
      'tsr:eco': 'eco1',
    };
    const forged = await forgeToken(stranger.signer, await ourHeader(deps.signer), claims);

    await expect(verifyToken(deps, forged)).rejects.toMatchObject({ code: 'TOKEN_SIGNATURE_INVALID' });
    expect(usage.pendingEvents).toBe(0); // random ids in forgeries cannot make the store write

    await issueFor(deps, { expiryType: 'Infinite' }, { ecosystemId: 'eco1' });
    await expect(verifyToken(deps, forged)).rejects.toMatchObject({ code: 'TOKEN_SIGNATURE_INVALID' });
    expect(usage.pendingEvents).toBe(3); // the issue, the refusal, its "no identity"
  });

  it('holds counts in memory and writes them in one batch per ecosystem and day', async () => {
    const { deps, calls, usage } = await ready('2026-11-30T12:00:00Z', { maxPendingEvents: 10 });
    const { token } = await issueFor(deps, { expiryType: 'Infinite' });
    await verifyToken(deps, token); // first of the month: markActive, and newActiveIdentities held
    calls.length = 0;
    for (let i = 0; i < 6; i++) await verifyToken(deps, token);
    expect(calls.filter((c) => c === 'addUsage')).toHaveLength(0);
    expect(usage.pendingEvents).toBe(9); // the issue, the new active user, 7 verifies

    await verifyToken(deps, token); // the tenth event triggers the write
    await usage.flush();
    expect(calls.filter((c) => c === 'addUsage')).toHaveLength(1);
    expect(usage.pendingEvents).toBe(0);
    const [day] = (await getUsage(deps, 'eco1', { from: '2026-11-30', to: '2026-11-30' })).days;
    expect(day).toMatchObject({ issued: 1, verified: 8, newActiveIdentities: 1 });
  });

  it('keeps the counts of a failed write for the next one', async () => {
    const store = await EmbeddedStore.open();
    let failures = 1;
    const flaky = new Proxy(store.usageCounters, {
      get(target, name, receiver) {
        if (name === 'addUsage' && failures-- > 0) return () => Promise.reject(new Error('down'));
        const value = Reflect.get(target, name, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const errors: unknown[] = [];
    const usage = new UsageRecorder({
      counters: flaky,
      clock: frozenClock(),
      onError: (e) => errors.push(e),
    });
    usage.count('eco1', 'issued');
    await usage.flush();
    expect(errors).toHaveLength(1);
    expect(usage.pendingEvents).toBe(1);
    await usage.flush();
    const { days } = await store.usageCounters.getUsage('eco1', '2027-01-15', '2027-01-15');
    expect(days).toEqual([{ day: '2027-01-15', counts: { issued: 1 } }]);
  });
});

describe('the verify hot path', () => {
  it("adds no store call to an already-active user's verify, and reads the ecosystem once a bound", async () => {
    const { deps, calls } = await ready();
    const { token } = await issueFor(deps, { expiryType: 'FixedTtl', ttl: '600' });
    calls.length = 0;
    await verifyToken(deps, token);
    // The first verify of the month: the user's own item only; the ecosystem's state once, for the cache.
    expect(calls.sort()).toEqual(['getEcosystemState', 'getTokenContext', 'markActive']);

    calls.length = 0;
    await verifyToken(deps, token);
    expect(calls).toEqual(['getTokenContext']); // as before usage was counted
    deps.clock.advance(deps.config.ecosystemCacheSeconds);
    calls.length = 0;
    await verifyToken(deps, token);
    expect(calls.sort()).toEqual(['getEcosystemState', 'getTokenContext']);
  });

  it('writes no counter for a new active user until the batch: 50 first verifies, one write', async () => {
    const { deps, calls, usage } = await ready('2026-11-30T12:00:00Z', { maxPendingEvents: 1000 });
    const tokens: string[] = [];
    for (let i = 0; i < 50; i++) {
      await deps.directory.putUser({ ...alice(i), metadata: {}, createdAt: 0, generation: 'g1' });
      tokens.push((await issueFor(deps, { expiryType: 'Infinite' }, { userId: `user${i}` })).token);
    }
    calls.length = 0;
    for (const token of tokens) await verifyToken(deps, token);
    expect(calls.filter((c) => c === 'markActive')).toHaveLength(50); // each on its own user's item
    expect(calls.filter((c) => c === 'addUsage')).toHaveLength(0);
    await usage.flush();
    expect(calls.filter((c) => c === 'addUsage')).toHaveLength(1);

    const report = await getUsage(deps, 'eco1', { from: '2026-11-30', to: '2026-11-30' });
    expect(report.months).toEqual([{ month: '2026-11', activeIdentities: 50 }]);
    expect(report.days[0]).toMatchObject({ newActiveIdentities: 50, verified: 50 });
  });
});

const alice = (i: number) => ({ ecosystemId: 'eco1', userId: `user${i}` });

describe('usageRange', () => {
  const now = Date.parse('2026-11-23T10:00:00Z');

  it('defaults to the last 30 days, today included', () => {
    expect(usageRange({}, now)).toEqual({ from: '2026-10-25', to: '2026-11-23', days: 30 });
  });

  it.each([
    [{ from: '2026-11-31', to: '2026-12-01' }, 'from'],
    [{ from: '2026-02-29', to: '2026-03-01' }, 'from'],
    [{ from: '2026-11-01', to: '26-11-02' }, 'to'],
    [{ from: '2026-11-01', to: '2026-11-02T00:00:00Z' }, 'to'],
    [{ from: '2026-11-05', to: '2026-11-04' }, 'after'],
    [{ from: '2025-11-01', to: '2026-11-02' }, 'at most 366'],
    [{ to: '2026-11-02' }, 'together'],
    [{ from: '2026-11-20' }, 'together'],
  ])('refuses %j with BODY_INVALID', (query, words) => {
    let thrown: unknown;
    try {
      usageRange(query, now);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(TesseraError);
    expect(thrown).toMatchObject({ code: 'BODY_INVALID', message: expect.stringContaining(words) });
  });

  it('accepts exactly 366 days and a leap day', () => {
    expect(usageRange({ from: '2024-01-01', to: '2024-12-31' }, now).days).toBe(366);
    expect(usageRange({ from: '2024-02-29', to: '2024-02-29' }, now).days).toBe(1);
  });
});
