// The lifecycle of issue 3 over real HTTP: deleting a user or an ecosystem revokes its tokens for good,
// metadata changes show on the next verify, and maxTtl caps a SlidingTtl token however it is used.
import { describe, expect, it } from 'vitest';
import { frozenClock } from '../../helpers/clock.ts';
import { TEST_ACCOUNT_TOKEN } from '../../helpers/deps.ts';
import { seedThroughApi } from '../../helpers/server.ts';
import { useTestServer } from '../../helpers/use-test-server.ts';
import { expectError } from './expect-error.ts';
import { tokenCalls } from './token-calls.ts';

const clock = frozenClock();

const server = useTestServer({ clock });

const MODELS = ['?expiryType=Infinite', '?expiryType=FixedTtl&ttl=600', '?expiryType=SlidingTtl&ttl=600'];
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

const calls = tokenCalls(server);
const { verify, expectRevoked } = calls;
const issue = (seed: { ecosystemId: string; serverToken: string }, query = '') =>
  calls.issue(`/v1/ecosystems/${seed.ecosystemId}/users/alice`, seed.serverToken, query);

describe('deleting a user', () => {
  it('revokes every token of the user, and re-creating the same userId does not revive them', async () => {
    const seed = await seedThroughApi(server);
    const alice = `/v1/ecosystems/${seed.ecosystemId}/users/alice`;
    const tokens = await Promise.all(MODELS.map((model) => issue(seed, model)));
    for (const { token } of tokens) expect((await verify(token)).status).toBe(200);

    expect((await server.call('DELETE', alice, { bearer: seed.serverToken })).status).toBe(204);
    for (const { token } of tokens) await expectRevoked(token);

    const recreated = await server.call('PUT', alice, {
      bearer: seed.serverToken,
      body: { metadata: { plan: 'pro' } },
    });
    expect(recreated.status).toBe(201);
    for (const { token } of tokens) await expectRevoked(token);
    const fresh = await issue(seed);
    expect((await verify(fresh.token)).status).toBe(200);
  });

  it('leaves the tokens of the other users of the ecosystem working', async () => {
    const seed = await seedThroughApi(server);
    const eco = `/v1/ecosystems/${seed.ecosystemId}`;
    await server.call('PUT', `${eco}/users/bob`, { bearer: seed.serverToken });
    const bobs = await server.call('POST', `${eco}/users/bob/tokens`, { bearer: seed.serverToken });
    await server.call('DELETE', `${eco}/users/alice`, { bearer: seed.serverToken });
    expect((await verify(bobs.body.token)).status).toBe(200);
  });
});

describe('deleting an ecosystem', () => {
  it('revokes every token of every user of the ecosystem, and only of that one', async () => {
    const doomed = await seedThroughApi(server);
    const kept = await seedThroughApi(server);
    const tokens = await Promise.all(MODELS.map((model) => issue(doomed, model)));
    const survivor = await issue(kept);

    const result = await server.call('DELETE', `/v1/ecosystems/${doomed.ecosystemId}`, {
      bearer: TEST_ACCOUNT_TOKEN,
    });
    expect(result.status).toBe(204);
    for (const { token } of tokens) await expectRevoked(token);
    expect((await verify(survivor.token)).status).toBe(200);
  });
});

describe('metadata', () => {
  it('shows a change of the metadata of the user on the next verify, without re-issuing the token', async () => {
    const seed = await seedThroughApi(server);
    const { token } = await issue(seed, '?expiryType=SlidingTtl&ttl=600');
    expect((await verify(token)).body.metadata).toEqual({ plan: 'pro' });
    const alice = `/v1/ecosystems/${seed.ecosystemId}/users/alice`;
    const replaced = await server.call('PUT', alice, {
      bearer: seed.serverToken,
      body: { metadata: { plan: 'team', seats: 5 } },
    });
    expect(replaced.status).toBe(200);
    expect((await verify(token)).body.metadata).toEqual({ plan: 'team', seats: 5 });
    const bearer = await server.call('POST', '/v1/tokens/verify', { bearer: token });
    expect(bearer.body.metadata).toEqual({ plan: 'team', seats: 5 });
  });
});

describe('maxTtl', () => {
  it('reports both deadlines on issue and verify, and ends the token at issue + maxTtl however often used', async () => {
    const seed = await seedThroughApi(server);
    const issuedAt = clock.seconds();
    const issued = await issue(seed, '?expiryType=SlidingTtl&ttl=60&maxTtl=120');
    expect(issued).toMatchObject({ expiresAt: iso(issuedAt + 60), absoluteExpiresAt: iso(issuedAt + 120) });

    clock.advance(50);
    const early = await verify(issued.token);
    expect(early.body).toMatchObject({
      expiresAt: iso(issuedAt + 110),
      absoluteExpiresAt: iso(issuedAt + 120),
    });

    clock.advance(50); // the idle deadline would be 160: the absolute one is earlier and answers
    const capped = await verify(issued.token);
    expect(capped.body).toMatchObject({
      expiresAt: iso(issuedAt + 120),
      absoluteExpiresAt: iso(issuedAt + 120),
    });

    clock.advance(19);
    expect((await verify(issued.token)).status).toBe(200);
    clock.advance(1);
    const ended = await verify(issued.token);
    expectError(ended, 401, 'TOKEN_EXPIRED', [issued.token]);
    expect(ended.body.error.message).toMatch(/absolute deadline/);
  });

  it('reports absoluteExpiresAt null for a SlidingTtl token without maxTtl', async () => {
    const seed = await seedThroughApi(server);
    const { token } = await issue(seed, '?expiryType=SlidingTtl&ttl=60');
    expect((await verify(token)).body.absoluteExpiresAt).toBeNull();
  });
});
