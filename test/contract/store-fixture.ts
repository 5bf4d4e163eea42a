// What the store contract's suites share: the factory each adapter provides, and the records they write.
import { randomBytes } from 'node:crypto';
import { beforeEach } from 'vitest';
import type { StorePorts, TokenRecord, UserRecord } from '../../functions/core/ports.ts';
import { type FrozenClock, frozenClock } from '../helpers/clock.ts';

/** Builds a store's four ports over the given clock; each call may share the same backing table. */
export type StoreFactory = (clock: FrozenClock) => Promise<StorePorts>;

export const id = (prefix: string) => `${prefix}${randomBytes(6).toString('hex')}`;

export function token(overrides: Partial<TokenRecord> & { tokenId: string }, now: number): TokenRecord {
  return {
    ecosystemId: 'eco',
    userId: 'alice',
    expiryType: 'SlidingTtl',
    ttl: 600,
    absoluteExpiresAt: null,
    familyId: overrides.tokenId,
    userGeneration: 'g1',
    issuedAt: now,
    lastUsedAt: now,
    claims: { role: 'admin', nested: { list: [1, 'two', null, true] } },
    status: 'active',
    successorId: null,
    rotatedAt: null,
    purgeAt: now + 600,
    ...overrides,
  };
}

/** What each test runs on: a store's ports over a new frozen clock, that clock's instant, a new ecosystem id. */
export interface FreshStore extends StorePorts {
  clock: FrozenClock;
  now: number;
  eco: string;
}

/**
 * Opens a fresh store before each test (so a test starts from nothing it did not write, though the backing
 * table may be shared); the answer reads it inside a test.
 *
 * @example
 * const fresh = freshStore(makeStore);
 * it('…', async () => {
 *   const { tokens, now } = fresh();
 * });
 */
export function freshStore(makeStore: StoreFactory): () => FreshStore {
  let current: FreshStore | undefined;
  beforeEach(async () => {
    const clock = frozenClock();
    const now = clock.seconds();
    const { tokens, directory, serverTokens, usageCounters, providers } = await makeStore(clock);
    current = { clock, now, eco: id('e'), tokens, directory, serverTokens, usageCounters, providers };
  });
  return () => {
    if (current === undefined) throw new Error('A fresh store is there inside a test only.');
    return current;
  };
}

/**
 * Builders of the directory's records at the running test's instant and ecosystem, read at each call.
 *
 * @example
 * const { ecosystem, serverToken, user } = records(fresh);
 */
export function records(current: () => { now: number; eco: string }) {
  return {
    ecosystem: (ecosystemId: string) => ({ ecosystemId, name: 'acme', createdAt: current().now }),
    serverToken: (ecosystemId: string, serverTokenId = id('s')) => ({
      ecosystemId,
      serverTokenId,
      secretHash: 'ab'.repeat(32),
      createdAt: current().now,
    }),
    user: (userId: string, generation = 'g1'): UserRecord => ({
      ecosystemId: current().eco,
      userId,
      metadata: { plan: 'pro', limits: { seats: 3 } },
      createdAt: current().now,
      generation,
    }),
  };
}
