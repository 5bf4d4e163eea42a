// Audience-bound tokens and labels over real HTTP: issue takes `audience` and `label`, verify takes one
// `audience` (401 TOKEN_AUDIENCE_INVALID when the token lacks it), the listing shows labels, and an
// authorizer deployed with TESSERA_AUTHORIZER_AUDIENCE lets only tokens of that audience reach /v1/me.
import { beforeAll, describe, expect, it } from 'vitest';
import { frozenClock } from '../../helpers/clock.ts';
import { useSeededServer } from '../../helpers/use-test-server.ts';
import { expectError } from './expect-error.ts';
import { tokenCalls } from './token-calls.ts';

describe('audience and label on the token routes', () => {
  const { server, seed } = useSeededServer({ clock: frozenClock() });
  const calls = tokenCalls(server);
  let alice: string;
  beforeAll(() => {
    alice = `/v1/ecosystems/${seed.ecosystemId}/users/alice`;
  });
  const issue = (body?: unknown) => calls.issue(alice, seed.serverToken, '', body);
  const verify = (body: unknown) => server.call('POST', '/v1/tokens/verify', { body });

  it('verifies a token for an audience it carries, and answers its audiences', async () => {
    const { token } = await issue({ audience: ['chat-api', 'admin-api'], label: 'Pixel 8' });
    const result = await verify({ token, audience: 'admin-api' });
    expect(result.status).toBe(200);
    expect(result.body.audience).toEqual(['chat-api', 'admin-api']);
    expect((await verify({ token })).body.audience).toEqual(['chat-api', 'admin-api']);
  });

  it('answers 401 TOKEN_AUDIENCE_INVALID for an audience the token lacks, or a token without one', async () => {
    const bound = await issue({ audience: ['chat-api'] });
    const unbound = await issue();
    expectError(await verify({ token: bound.token, audience: 'admin-api' }), 401, 'TOKEN_AUDIENCE_INVALID', [
      bound.token,
    ]);
    expectError(await verify({ token: unbound.token, audience: 'chat-api' }), 401, 'TOKEN_AUDIENCE_INVALID');
    expect((await verify({ token: unbound.token })).body.audience).toBeNull();
    // The bearer form takes the audience from the body all the same.
    const asBearer = await server.call('POST', '/v1/tokens/verify', {
      bearer: bound.token,
      body: { audience: 'chat-api' },
    });
    expect(asBearer.status).toBe(200);
  });

  it.each([
    ['an audience that is not a list', { audience: 'chat-api' }],
    ['an empty audience list', { audience: [] }],
    ['nine audiences', { audience: Array.from({ length: 9 }, (_, i) => `a${i}`) }],
    ['an empty label', { label: '' }],
    ['a label of 65 characters', { label: 'x'.repeat(65) }],
  ])('refuses issue with %s: 400 BODY_INVALID', async (_, body) => {
    const result = await server.call('POST', `${alice}/tokens`, { bearer: seed.serverToken, body });
    expectError(result, 400, 'BODY_INVALID');
  });

  it('refuses verify with an audience that is not one string: 400 BODY_INVALID', async () => {
    const { token } = await issue({ audience: ['chat-api'] });
    for (const audience of [['chat-api'], '', 5]) {
      expectError(await verify({ token, audience }), 400, 'BODY_INVALID', [token]);
    }
  });

  it("shows each token's label in the user's listing, null without one, kept by refresh", async () => {
    await server.call('DELETE', `${alice}/tokens`, { bearer: seed.serverToken });
    const phone = await issue({ label: 'Pixel 8' });
    const bare = await issue();
    const successor = await calls.refresh(phone.token);
    const listed = await server.call('GET', `${alice}/tokens`, { bearer: seed.serverToken });
    const labels = Object.fromEntries(
      listed.body.tokens.map((t: { tokenId: string; label: string | null }) => [t.tokenId, t.label]),
    );
    expect(labels).toEqual({ [bare.tokenId]: null, [successor.body.tokenId]: 'Pixel 8' });
  });
});

describe('the authorizer with TESSERA_AUTHORIZER_AUDIENCE', () => {
  const { server, seed } = useSeededServer({
    clock: frozenClock(),
    env: { TESSERA_AUTHORIZER_AUDIENCE: 'chat-api' },
  });
  const calls = tokenCalls(server);
  const issue = (body?: unknown) =>
    calls.issue(`/v1/ecosystems/${seed.ecosystemId}/users/alice`, seed.serverToken, '', body);

  it('lets a token of that audience through, with its audiences in the context', async () => {
    const { token } = await issue({ audience: ['chat-api'] });
    const me = await server.call('GET', '/v1/me', { bearer: token });
    expect(me.status).toBe(200);
  });

  it('refuses a token of another audience, or of none (403, as the HTTP API answers)', async () => {
    for (const body of [{ audience: ['admin-api'] }, undefined]) {
      const { token } = await issue(body);
      const me = await server.call('GET', '/v1/me', { bearer: token });
      expect({ status: me.status, body: me.body }).toEqual({ status: 403, body: { message: 'Forbidden' } });
      expect((await calls.verify(token)).status).toBe(200); // verify itself asks for no audience
    }
  });
});
