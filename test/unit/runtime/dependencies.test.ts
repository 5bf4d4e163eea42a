// What each function's dependency build holds: the keys function carries no state port and opens no store,
// while the full build carries the four ports of one store and a usage recorder over its counters.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { STORE_FILE } from '../../../functions/adapters/embedded-store.ts';
import { createHandler as keysHandler } from '../../../functions/keys/handler.ts';
import { readConfig } from '../../../functions/runtime/config.ts';
import { buildKeysDependencies, buildRuntimeDependencies } from '../../../functions/runtime/dependencies.ts';

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tessera-deps-'));
  vi.stubEnv('TESSERA_DATA_DIR', dataDir);
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await rm(dataDir, { recursive: true, force: true });
});

describe('buildKeysDependencies', () => {
  it('holds the signer and settings only, opens no store, and serves the JWKS from them', async () => {
    const deps = await buildKeysDependencies();

    expect(Object.keys(deps).sort()).toEqual(['clock', 'config', 'corsAllowOrigins', 'keys', 'signer']);
    expect(await readdir(dataDir)).not.toContain(STORE_FILE);
    const answer = await keysHandler(deps)({});
    expect(answer).toEqual({ keys: [expect.objectContaining({ kty: 'EC', crv: 'P-256', alg: 'ES256' })] });
  });
});

describe('buildRuntimeDependencies', () => {
  it("holds one store's four ports and a usage recorder that writes that store's counters", async () => {
    const { deps, store } = await buildRuntimeDependencies(readConfig(process.env));
    const { tokens, directory, serverTokens, usageCounters } = store;
    expect(deps).toMatchObject({ tokens, directory, serverTokens, usageCounters });

    await directory.createEcosystem(
      { ecosystemId: 'eco1', name: null, createdAt: 0 },
      { ecosystemId: 'eco1', serverTokenId: 'st1', secretHash: 'ab'.repeat(32), createdAt: 0 },
    );
    deps.usage.count('eco1', 'issued');
    await deps.usage.flush();
    // The system clock: ask for the days around now, so a count made at midnight is found as well.
    const day = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString().slice(0, 10);
    const { days } = await usageCounters.getUsage('eco1', day(-86_400_000), day(86_400_000));
    expect(days).toEqual([{ day: expect.any(String), counts: { issued: 1 } }]);
    await store.flush();
  });
});
