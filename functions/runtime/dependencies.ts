// Building the use-cases' dependencies from configuration, once per container (or per local server).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EmbeddedStore } from '../adapters/embedded-store.ts';
import { LocalSigner } from '../adapters/local-signer.ts';
import { type Clock, systemClock } from '../core/clock.ts';
import { hashSecret, newAccountToken } from '../core/credentials.ts';
import type { Deps } from '../core/deps.ts';
import { KeyRing } from '../core/token-codec.ts';
import { type RuntimeConfig, readConfig } from './config.ts';

export const ACCOUNT_FILE = 'account.json';

/** Local mode's dependencies plus what the local server needs to flush on shutdown. */
export interface LocalDependencies {
  deps: Deps;
  store: EmbeddedStore;
  /** Set only when this start generated the account token: print it once. */
  newAccountToken: string | undefined;
}

/**
 * The account token's hash: from the configuration when given, else the data folder's, else a new token
 * is generated and only its hash kept.
 */
async function resolveAccountTokenHash(
  config: RuntimeConfig,
): Promise<{ hash: string; newAccountToken: string | undefined }> {
  if (config.accountTokenHash !== undefined)
    return { hash: config.accountTokenHash, newAccountToken: undefined };
  if (config.accountToken !== undefined)
    return { hash: hashSecret(config.accountToken), newAccountToken: undefined };
  const file = join(config.dataDir, ACCOUNT_FILE);
  try {
    const stored = JSON.parse(await readFile(file, 'utf8')) as { accountTokenHash?: unknown };
    if (typeof stored.accountTokenHash === 'string')
      return { hash: stored.accountTokenHash, newAccountToken: undefined };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const token = newAccountToken();
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  await writeFile(file, `${JSON.stringify({ accountTokenHash: hashSecret(token) })}\n`, { mode: 0o600 });
  return { hash: hashSecret(token), newAccountToken: token };
}

export async function buildLocalDependencies(
  config: RuntimeConfig,
  clock: Clock = systemClock,
): Promise<LocalDependencies> {
  const [account, store, signer] = await Promise.all([
    resolveAccountTokenHash(config),
    EmbeddedStore.open({ dataDir: config.dataDir, clock }),
    LocalSigner.fromDataDir(config.dataDir),
  ]);
  const deps: Deps = {
    store,
    signer,
    keys: new KeyRing(signer),
    clock,
    config: {
      issuer: config.issuer,
      clockSkewSeconds: config.clockSkewSeconds,
      maxTtlSeconds: config.maxTtlSeconds,
      refreshGraceSeconds: config.refreshGraceSeconds,
      accountTokenHash: account.hash,
    },
  };
  return { deps, store, newAccountToken: account.newAccountToken };
}

/** What a handler module builds at its first request when no dependencies were injected. */
export async function buildDependencies(): Promise<Deps> {
  return (await buildLocalDependencies(readConfig(process.env))).deps;
}
