// The refresh grace period with real time: a server with TESSERA_REFRESH_GRACE_SECONDS=1 gives a retry the
// same successor at once, and two seconds later treats the old token as stolen and revokes its family.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { useSeededServer } from '../../helpers/use-test-server.ts';
import { expectError } from './expect-error.ts';

const { server, seed } = useSeededServer({ env: { TESSERA_REFRESH_GRACE_SECONDS: '1' } });

const refresh = (token: string) => server.call('POST', '/v1/tokens/refresh', { body: { token } });

describe('the refresh grace period, in real time', () => {
  it('gives a retry the same successor, then answers TOKEN_REUSED and revokes the newest token', async () => {
    const path = `/v1/ecosystems/${seed.ecosystemId}/users/alice/tokens?expiryType=SlidingTtl&ttl=600`;
    const old = (await server.call('POST', path, { bearer: seed.serverToken })).body;

    const first = await refresh(old.token);
    expect(first.status).toBe(200);
    const retry = await refresh(old.token);
    expect(retry.status).toBe(200);
    expect(retry.body.tokenId).toBe(first.body.tokenId);

    // The rotation time is the successor's first use; the grace ends one whole second after it.
    const rotatedAt = Date.parse(first.body.lastUsedAt) / 1000;
    await sleep(Math.max(0, (rotatedAt + 2) * 1000 - Date.now()) + 100);

    const reused = await refresh(old.token);
    expectError(reused, 401, 'TOKEN_REUSED', [old.token]);
    const newest = await server.call('POST', '/v1/tokens/verify', { body: { token: first.body.token } });
    expectError(newest, 401, 'TOKEN_REVOKED', [first.body.token]);
    expectError(await refresh(first.body.token), 401, 'TOKEN_REVOKED', [first.body.token]);
  });
});
