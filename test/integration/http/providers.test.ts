// The provider routes and the token exchange over real HTTP on the local server: configure each type,
// read, list and delete; exchange a user token for each provider's token (body or bearer); and every
// refusal with its code.
import { jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { createHandler as createExchange } from '../../../functions/exchange/handler.ts';
import { frozenClock } from '../../helpers/clock.ts';
import { TEST_ACCOUNT_TOKEN } from '../../helpers/deps.ts';
import { infobipPreRequestCheck } from '../../helpers/infobip-check.ts';
import { providerBodies, secretOf } from '../../helpers/providers.ts';
import { seedThroughApi } from '../../helpers/server.ts';
import { useSeededServer } from '../../helpers/use-test-server.ts';
import { expectError } from './expect-error.ts';

describe('providers and the token exchange', () => {
  const clock = frozenClock();
  const { server, seed } = useSeededServer({ clock });
  const providers = () => `/v1/ecosystems/${seed.ecosystemId}/providers`;
  const st = () => ({ bearer: seed.serverToken });
  const issue = async (query = '?ttl=600') =>
    (await server.call('POST', `/v1/ecosystems/${seed.ecosystemId}/users/alice/tokens${query}`, st())).body
      .token as string;

  it('creates (201), replaces (200), reads, lists and deletes providers, never answering a secret', async () => {
    const bodies = providerBodies();
    const put = await server.call('PUT', `${providers()}/chat`, { ...st(), body: bodies.twilio });
    expect(put.status).toBe(201);
    const { apiKeySecret: _s, ...settings } = bodies.twilio;
    expect(put.body).toEqual({ providerId: 'chat', createdAt: expect.any(String), ...settings });
    const account = { bearer: TEST_ACCOUNT_TOKEN };
    const replaced = await server.call('PUT', `${providers()}/chat`, { ...account, body: bodies.stream });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toEqual({
      providerId: 'chat',
      type: 'stream',
      createdAt: put.body.createdAt,
      ttl: null,
    });
    await server.call('PUT', `${providers()}/push`, { ...st(), body: bodies.infobip });
    const got = await server.call('GET', `${providers()}/push`, st());
    expect(got.body).toMatchObject({ providerId: 'push', type: 'infobip', keyId: bodies.infobip.keyId });
    const listed = await server.call('GET', providers(), st());
    expect(listed.body.providers.map((p: { providerId: string }) => p.providerId)).toEqual(['chat', 'push']);
    const texts = [put.text, replaced.text, got.text, listed.text].join('\n');
    for (const body of Object.values(bodies)) expect(texts).not.toContain(secretOf(body));

    expect((await server.call('DELETE', `${providers()}/push`, st())).status).toBe(204);
    await expectError(await server.call('GET', `${providers()}/push`, st()), 404, 'PROVIDER_NOT_FOUND');
    await expectError(await server.call('DELETE', `${providers()}/push`, st()), 404, 'PROVIDER_NOT_FOUND');
  });

  it('refuses a malformed provider with PROVIDER_INVALID naming the field', async () => {
    const { twilio, infobip } = providerBodies();
    const cases: [unknown, string][] = [
      [{ ...twilio, accountSid: 'AC123' }, 'accountSid'],
      [{ ...twilio, ttl: 86_401 }, 'ttl'],
      [{ ...twilio, grants: { chat: { serviceSid: `AP${'0'.repeat(32)}` } } }, 'grants.chat.serviceSid'],
      [{ ...infobip, secretKeyHex: 'abcd' }, 'secretKeyHex'],
      [{ ...infobip, apiSecret: 'x' }, 'apiSecret'],
      [{ type: 'pusher' }, 'type'],
    ];
    for (const [body, field] of cases) {
      const answer = await server.call('PUT', `${providers()}/chat2`, { ...st(), body });
      await expectError(answer, 400, 'PROVIDER_INVALID');
      expect(answer.body.error.message.startsWith(`${field} `), field).toBe(true);
    }
    await expectError(
      await server.call('PUT', `${providers()}/-bad`, { ...st(), body: providerBodies().stream }),
      400,
      'PROVIDER_INVALID',
    );
    await expectError(
      await server.call('PUT', `${providers()}/chat2`, { ...st(), body: { type: 'stream', colour: 'red' } }),
      400,
      'BODY_INVALID',
    );
  });

  it("refuses another ecosystem's server token, a missing credential and an unknown ecosystem", async () => {
    const other = await seedThroughApi(server, 'bob');
    const body = providerBodies().stream;
    await expectError(
      await server.call('PUT', `${providers()}/x`, { bearer: other.serverToken, body }),
      403,
      'FORBIDDEN',
    );
    await expectError(await server.call('GET', providers()), 401, 'UNAUTHORIZED');
    await expectError(
      await server.call('GET', '/v1/ecosystems/nope/providers', { bearer: TEST_ACCOUNT_TOKEN }),
      404,
      'ECOSYSTEM_NOT_FOUND',
    );
  });

  it('exchanges a user token, in the body or as the bearer, for a provider token of its user', async () => {
    const bodies = providerBodies();
    for (const [providerId, body] of Object.entries(bodies)) {
      await server.call('PUT', `${providers()}/${providerId}`, { ...st(), body });
    }
    const token = await issue();
    const now = clock.seconds();
    const twilio = await server.call('POST', '/v1/tokens/exchange', { body: { token, provider: 'twilio' } });
    expect(twilio.status).toBe(200);
    expect(twilio.body).toEqual({
      token: expect.any(String),
      provider: 'twilio',
      type: 'twilio',
      expiresAt: new Date((now + 900) * 1000).toISOString(),
    });
    const at = { currentDate: new Date(now * 1000) };
    const { payload } = await jwtVerify(twilio.body.token, Buffer.from(bodies.twilio.apiKeySecret), at);
    expect(payload).toMatchObject({ sub: bodies.twilio.accountSid, grants: { identity: 'alice' } });

    const infobip = await server.call('POST', '/v1/tokens/exchange', {
      bearer: token,
      body: { provider: 'infobip' },
    });
    expect(infobip.status).toBe(200);
    expect(infobipPreRequestCheck(infobip.body.token, now)).toEqual({ ok: true });

    const stream = await server.call('POST', '/v1/tokens/exchange', { body: { token, provider: 'stream' } });
    expect(stream.body.expiresAt).toBeNull();
    await jwtVerify(stream.body.token, Buffer.from(bodies.stream.apiSecret));

    // A provider token is no Tessera token.
    await expectError(
      await server.call('POST', '/v1/tokens/verify', { body: { token: stream.body.token } }),
      401,
      'TOKEN_STRUCTURE_INVALID',
    );
  });

  it('refuses an exchange with the codes of verify and of the providers', async () => {
    await server.call('PUT', `${providers()}/stream`, { ...st(), body: providerBodies().stream });
    const exchange = (body: unknown) => server.call('POST', '/v1/tokens/exchange', { body });
    const token = await issue();
    await expectError(await exchange({ token, provider: 'nope' }), 404, 'PROVIDER_NOT_FOUND');
    await expectError(await exchange({ token, provider: '../x' }), 400, 'PROVIDER_INVALID');
    await expectError(await exchange({ token }), 400, 'BODY_INVALID');
    await expectError(await exchange({ provider: 'stream' }), 400, 'BODY_INVALID');
    await expectError(await exchange({ token: 'x.y.z', provider: 'stream' }), 401, 'TOKEN_STRUCTURE_INVALID');
    const revoked = await issue();
    await server.call('POST', '/v1/tokens/revoke', { body: { token: revoked } });
    await expectError(await exchange({ token: revoked, provider: 'stream' }), 401, 'TOKEN_REVOKED');
    const expiring = await issue('?ttl=5');
    clock.advance(6);
    await expectError(await exchange({ token: expiring, provider: 'stream' }), 401, 'TOKEN_EXPIRED');
  });

  it('answers a direct invocation {"token","provider"} in plain JSON, counting it as a verify', async () => {
    await server.call('PUT', `${providers()}/stream`, { ...st(), body: providerBodies().stream });
    const counted: string[] = [];
    const metrics = {
      counted: (name: string) => {
        counted.push(name);
        return undefined;
      },
      refused: (code: string | undefined) => {
        counted.push(`refused ${code}`);
        return undefined;
      },
    };
    const handler = createExchange(server.local.deps, undefined, metrics);
    const token = await issue();
    await expect(handler({ token, provider: 'stream' })).resolves.toMatchObject({ provider: 'stream' });
    await expect(handler({ token, provider: 'none' })).resolves.toEqual({
      error: { code: 'PROVIDER_NOT_FOUND', message: expect.any(String) },
    });
    await expect(handler({ token, provider: 'stream', extra: 1 })).resolves.toMatchObject({
      error: { code: 'BODY_INVALID' },
    });
    await handler({ token: 'x.y.z', provider: 'stream' });
    // The success is a verify; every refusal goes to `refused`, which keeps token codes only (metrics.ts).
    expect(counted).toEqual([
      'TokensVerified',
      'refused PROVIDER_NOT_FOUND',
      'refused BODY_INVALID',
      'refused TOKEN_STRUCTURE_INVALID',
    ]);
  });

  it("makes an ecosystem's providers unreachable once the ecosystem is deleted", async () => {
    const made = await seedThroughApi(server, 'carol');
    const base = `/v1/ecosystems/${made.ecosystemId}`;
    await server.call('PUT', `${base}/providers/stream`, {
      bearer: made.serverToken,
      body: providerBodies().stream,
    });
    const token = (await server.call('POST', `${base}/users/carol/tokens`, { bearer: made.serverToken })).body
      .token;
    expect((await server.call('DELETE', base, { bearer: TEST_ACCOUNT_TOKEN })).status).toBe(204);
    await expectError(
      await server.call('POST', '/v1/tokens/exchange', { body: { token, provider: 'stream' } }),
      401,
      'TOKEN_REVOKED',
    );
    await expectError(
      await server.call('GET', `${base}/providers`, { bearer: TEST_ACCOUNT_TOKEN }),
      404,
      'ECOSYSTEM_NOT_FOUND',
    );
    expect(await server.local.deps.providers.listProviders(made.ecosystemId)).toEqual([]);
  });
});
