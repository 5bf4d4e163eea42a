// The clients' provider methods: TesseraClient against the real local server (put, get, list, delete, the
// exchange and its refusal codes) and TesseraLambdaClient's exchange through InvokeCommand against the real
// exchange handler.
import { LambdaClient } from '@aws-sdk/client-lambda';
import { jwtVerify } from 'jose';
import { TesseraClient, TesseraLambdaClient } from 'tessera/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putProvider } from '../../../functions/core/providers.ts';
import { createHandler as exchangeHandler } from '../../../functions/exchange/handler.ts';
import { frozenClock } from '../../helpers/clock.ts';
import { issueFor, seededDeps, TEST_ACCOUNT_TOKEN, type TestDeps } from '../../helpers/deps.ts';
import { providerBodies } from '../../helpers/providers.ts';
import { useTestServer } from '../../helpers/use-test-server.ts';
import { type LambdaInvokeDouble, startLambdaInvokeDouble } from './lambda-invoke-double.ts';
import { refusal } from './refusal.ts';

describe('TesseraClient: providers and the exchange', () => {
  const clock = frozenClock(Math.floor(Date.now() / 1000));
  const server = useTestServer({ clock });

  it('puts, reads, lists and deletes providers, and exchanges a user token for a provider token', async () => {
    const account = new TesseraClient({ baseUrl: server.url, credential: TEST_ACCOUNT_TOKEN });
    const { ecosystemId, serverToken } = await account.createEcosystem({ name: 'providers' });
    const tessera = new TesseraClient({ baseUrl: server.url, credential: serverToken });
    await tessera.putUser(ecosystemId, 'alice');
    const bodies = providerBodies();

    const created = await tessera.putProvider(ecosystemId, 'chat', bodies.stream);
    expect(created).toMatchObject({ providerId: 'chat', type: 'stream', ttl: null, created: true });
    const replaced = await tessera.putProvider(ecosystemId, 'chat', { ...bodies.stream, ttl: 600 });
    expect(replaced).toMatchObject({ ttl: 600, created: false });
    await tessera.putProvider(ecosystemId, 'video', bodies.twilio);
    expect(await tessera.getProvider(ecosystemId, 'video')).toMatchObject({ type: 'twilio' });
    expect((await tessera.listProviders(ecosystemId)).map((p) => p.providerId)).toEqual(['chat', 'video']);

    const { token } = await tessera.issueToken(ecosystemId, 'alice', { ttl: 900 });
    const exchanged = await tessera.exchangeToken(token, 'chat');
    expect(exchanged).toMatchObject({ provider: 'chat', type: 'stream', expiresAt: expect.any(String) });
    const { payload } = await jwtVerify(exchanged.token, Buffer.from(bodies.stream.apiSecret));
    expect(payload.user_id).toBe('alice');

    const audience = await refusal(() => tessera.exchangeToken(token, 'chat', { audience: 'billing' }));
    expect(audience.code).toBe('TOKEN_AUDIENCE_INVALID');

    await tessera.deleteProvider(ecosystemId, 'chat');
    expect((await refusal(() => tessera.exchangeToken(token, 'chat'))).code).toBe('PROVIDER_NOT_FOUND');
    expect((await refusal(() => tessera.getProvider(ecosystemId, 'chat'))).status).toBe(404);
    const invalid = await refusal(() =>
      tessera.putProvider(ecosystemId, 'x', { ...bodies.twilio, accountSid: 'AC1' }),
    );
    expect([invalid.code, invalid.status]).toEqual(['PROVIDER_INVALID', 400]);
  });

  it('refuses a malformed user token locally, before any call', async () => {
    const tessera = new TesseraClient({ baseUrl: server.url });
    expect((await refusal(() => tessera.exchangeToken('not-a-token', 'chat'))).code).toBe(
      'TOKEN_STRUCTURE_INVALID',
    );
  });
});

describe('TesseraLambdaClient: the exchange', () => {
  let deps: TestDeps;
  let double: LambdaInvokeDouble;
  let lambda: LambdaClient;

  beforeAll(async () => {
    deps = await seededDeps();
    await putProvider(deps, { ecosystemId: 'eco1', providerId: 'chat', body: providerBodies().stream });
    double = await startLambdaInvokeDouble({ 'tessera-exchange': exchangeHandler(deps) });
    lambda = new LambdaClient({
      endpoint: double.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
      maxAttempts: 1,
    });
  });

  afterAll(async () => {
    lambda.destroy();
    await double.close();
  });

  it('sends {"token","provider"} to the exchange function and reads its answer or its refusal', async () => {
    const functions = { issue: 'i', verify: 'v', refresh: 'r', exchange: 'tessera-exchange' };
    const tessera = new TesseraLambdaClient({ functions, lambda, precheck: { now: deps.clock.now } });
    const { token } = await issueFor(deps, { ttl: '600' });
    await expect(tessera.exchangeToken(token, 'chat')).resolves.toMatchObject({ type: 'stream' });
    expect((await refusal(() => tessera.exchangeToken(token, 'none'))).code).toBe('PROVIDER_NOT_FOUND');
    const without = new TesseraLambdaClient({ functions: { issue: 'i', verify: 'v', refresh: 'r' }, lambda });
    expect(() => without.exchangeToken(token, 'chat')).toThrow(/functions\.exchange/);
  });
});
