// What the store contract's suites share: the factory each adapter provides, and the records they write.
import { randomBytes } from 'node:crypto';
import type { StorePorts, TokenRecord, UserRecord } from '../../functions/core/ports.ts';
import type { FrozenClock } from '../helpers/clock.ts';

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

/**
 * Builders of the directory's records at the running test's instant and ecosystem, read at each call.
 *
 * @example
 * const { ecosystem, serverToken, user } = records(() => ({ now, eco }));
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
