// Core dependencies for tests: a real in-memory store, a real P-256 key, a frozen clock, assembled as the
// runtime assembles them (core/deps.ts assembleDeps), usage recorder included, and a secret box over a key
// held in memory.
import { EmbeddedStore } from '../../functions/adapters/embedded-store.ts';
import { LocalSecretBox } from '../../functions/adapters/local-secret-box.ts';
import { LocalSigner } from '../../functions/adapters/local-signer.ts';
import { hashSecret } from '../../functions/core/credentials.ts';
import { assembleDeps, type CoreConfig, DEFAULT_CONFIG, type Deps } from '../../functions/core/deps.ts';
import { parseExpiry, type RawExpiry } from '../../functions/core/expiry.ts';
import { type IssuedToken, issueToken } from '../../functions/core/issue-token.ts';
import type { StorePorts } from '../../functions/core/ports.ts';
import { type FrozenClock, frozenClock } from './clock.ts';

export const TEST_ACCOUNT_TOKEN = 'tsa_test-account-token-of-sufficient-length-000000';

export interface TestDeps extends Deps {
  clock: FrozenClock;
  signer: LocalSigner;
}

/** The settings tests run with: the defaults and the test account token, with any override applied. */
export function testConfig(overrides: Partial<CoreConfig> = {}): CoreConfig {
  return { ...DEFAULT_CONFIG, accountTokenHash: hashSecret(TEST_ACCOUNT_TOKEN), ...overrides };
}

/**
 * Dependencies over an in-memory embedded store, or over the `store` given (DynamoDB Local, a data folder);
 * a new P-256 key unless a `signer` is given.
 *
 * @example
 * const deps = await testDeps({ store: new DynamoDbStore({ client, tableName, clock }), clock });
 */
export async function testDeps(
  overrides: {
    config?: Partial<CoreConfig>;
    clock?: FrozenClock;
    store?: StorePorts;
    signer?: LocalSigner;
  } = {},
): Promise<TestDeps> {
  const signer = overrides.signer ?? (await LocalSigner.fromKey());
  const clock = overrides.clock ?? frozenClock();
  const store = overrides.store ?? (await EmbeddedStore.open({ clock }));
  const secretBox = LocalSecretBox.inMemory();
  const config = testConfig(overrides.config);
  return { ...assembleDeps({ store, signer, clock, config, secretBox }), clock, signer };
}

/** An ecosystem with one user `alice`, straight through the directory. */
export async function seedUser(
  deps: Pick<Deps, 'directory' | 'clock'>,
  ecosystemId = 'eco1',
  userId = 'alice',
): Promise<void> {
  const now = Math.floor(deps.clock.now() / 1000);
  await deps.directory.createEcosystem(
    { ecosystemId, name: null, createdAt: now },
    { ecosystemId, serverTokenId: 'st1', secretHash: hashSecret('secret'), createdAt: now },
  );
  await deps.directory.putUser({
    ecosystemId,
    userId,
    metadata: { plan: 'pro' },
    createdAt: now,
    generation: 'g1',
  });
}

/**
 * testDeps with seedUser done: ecosystem `eco1` and its user `alice`, what most core tests start from.
 *
 * @example
 * const deps = await seededDeps({ config: { refreshGraceSeconds: 2 } });
 * const { token } = await issueFor(deps, { expiryType: 'FixedTtl', ttl: '600' });
 */
export async function seededDeps(overrides: Parameters<typeof testDeps>[0] = {}): Promise<TestDeps> {
  const deps = await testDeps(overrides);
  await seedUser(deps);
  return deps;
}

/** Where a helper-issued token goes: `eco1`/`alice` unless told otherwise. */
export interface IssueOptions {
  ecosystemId?: string;
  userId?: string;
  claims?: unknown;
  audience?: unknown;
  label?: unknown;
}

/**
 * Issues a token from raw request values, validated as the issue route validates its query.
 *
 * @example
 * const { token } = await issueFor(deps, { expiryType: 'SlidingTtl', ttl: '100' });
 */
export async function issueFor(
  deps: Parameters<typeof issueToken>[0],
  raw: RawExpiry = {},
  options: IssueOptions = {},
): Promise<IssuedToken> {
  return issueToken(deps, {
    ecosystemId: options.ecosystemId ?? 'eco1',
    userId: options.userId ?? 'alice',
    expiry: parseExpiry(raw, deps.config.maxTtlSeconds),
    claims: options.claims,
    audience: options.audience,
    label: options.label,
  });
}
