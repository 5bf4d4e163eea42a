// Restarting the local server on the same data folder keeps what issue 17 added: the ecosystem-wide
// revocations (and the undo of one), the labels and audiences of tokens, and a revoke-others.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frozenClock } from '../../helpers/clock.ts';
import { removeDataDir, seedThroughApi, startTestServer, type TestServer } from '../../helpers/server.ts';

const clock = frozenClock();
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

let first: TestServer;
let second: TestServer;
let eco: string;
let bearer: string;
const tokens: Record<string, string> = {};
let kept: { revocationId: string; issuedBefore: string; createdAt: string };

async function issue(server: TestServer, user: string, body?: unknown) {
  const path = `${eco}/users/${user}/tokens?expiryType=Infinite`;
  const result = await server.call('POST', path, { bearer, body });
  if (result.status !== 200) throw new Error(`issue failed: ${result.text}`);
  return result.body.token as string;
}

beforeAll(async () => {
  first = await startTestServer({ clock });
  const seed = await seedThroughApi(first);
  eco = `/v1/ecosystems/${seed.ecosystemId}`;
  bearer = seed.serverToken;
  await first.call('PUT', `${eco}/users/bob`, { bearer });

  tokens.old = await issue(first, 'bob');
  clock.advance(10);
  kept = (
    await first.call('POST', `${eco}/revocations`, { bearer, body: { issuedBefore: iso(clock.seconds()) } })
  ).body;
  const undone = (
    await first.call('POST', `${eco}/revocations`, {
      bearer,
      body: { issuedBefore: iso(clock.seconds() + 5) },
    })
  ).body;
  await first.call('DELETE', `${eco}/revocations/${undone.revocationId}`, { bearer });
  tokens.laptop = await issue(first, 'alice', { audience: ['chat-api'], label: 'laptop' });
  tokens.phone = await issue(first, 'alice');
  await first.call('POST', '/v1/tokens/revoke-others', { body: { token: tokens.laptop } });
  await first.stop();
  second = await startTestServer({ clock, dataDir: first.dataDir });
});

afterAll(async () => {
  await second?.stop();
  await removeDataDir(first.dataDir);
});

const verify = (body: unknown) => second.call('POST', '/v1/tokens/verify', { body });

describe('a restart on the same data folder', () => {
  it('keeps the revocations, without the undone one, and their effect', async () => {
    expect((await second.call('GET', `${eco}/revocations`, { bearer })).body).toEqual({
      revocations: [kept],
    });
    expect((await verify({ token: tokens.old })).body.error.code).toBe('TOKEN_REVOKED');
  });

  it("keeps a token's audience and label, and the revoke-others", async () => {
    expect((await verify({ token: tokens.laptop, audience: 'chat-api' })).body.audience).toEqual([
      'chat-api',
    ]);
    expect((await verify({ token: tokens.phone })).body.error.code).toBe('TOKEN_REVOKED');
    const listed = await second.call('GET', `${eco}/users/alice/tokens`, { bearer });
    expect(listed.body.tokens.map((t: { label: string | null }) => t.label)).toEqual(['laptop']);
  });
});
