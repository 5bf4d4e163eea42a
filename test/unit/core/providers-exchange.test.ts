// exchangeToken on a frozen clock: a valid user token becomes the provider token of its own user, the user
// token checked exactly as verify checks it (a use), and every refusal with its code: an unknown or foreign
// provider, a revoked, rotated or expired user token, a provider token presented in its place.
import { jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { isoFromSeconds } from '../../../functions/core/clock.ts';
import { deleteEcosystem } from '../../../functions/core/ecosystems.ts';
import { TesseraError } from '../../../functions/core/errors.ts';
import { putProvider } from '../../../functions/core/providers.ts';
import { exchangeToken } from '../../../functions/core/providers-exchange.ts';
import { refreshToken } from '../../../functions/core/refresh-token.ts';
import { revokePresentedToken } from '../../../functions/core/revoke-token.ts';
import { verifyToken } from '../../../functions/core/verify-token.ts';
import { issueFor, seededDeps, seedUser, type TestDeps } from '../../helpers/deps.ts';
import { infobipPreRequestCheck } from '../../helpers/infobip-check.ts';
import { providerBodies } from '../../helpers/providers.ts';

async function withProviders(deps: TestDeps) {
  const bodies = providerBodies();
  for (const [providerId, body] of Object.entries(bodies)) {
    await putProvider(deps, { ecosystemId: 'eco1', providerId, body });
  }
  return bodies;
}

async function codeOf(call: Promise<unknown>): Promise<string> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof TesseraError)) throw new Error(`expected a TesseraError, got ${String(err)}`);
  return err.code;
}

const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;

describe('exchangeToken', () => {
  it("mints each provider's token for the user token's user, signed with that provider's secret", async () => {
    const deps = await seededDeps();
    const bodies = await withProviders(deps);
    const { token } = await issueFor(deps, { expiryType: 'FixedTtl', ttl: '600' });
    const now = deps.clock.seconds();
    const at = { currentDate: new Date(now * 1000) };

    const twilio = await exchangeToken(deps, { token, provider: 'twilio' });
    expect(twilio).toEqual({
      token: expect.any(String),
      provider: 'twilio',
      type: 'twilio',
      expiresAt: isoFromSeconds(now + 900),
    });
    const twilioClaims = (await jwtVerify(twilio.token, Buffer.from(bodies.twilio.apiKeySecret), at)).payload;
    expect(twilioClaims.grants).toEqual({
      identity: 'alice',
      chat: { service_sid: bodies.twilio.grants.chat.serviceSid },
      video: {},
    });

    const infobip = await exchangeToken(deps, { token, provider: 'infobip' });
    expect(infobipPreRequestCheck(infobip.token, now)).toEqual({ ok: true });
    const key = Buffer.from(bodies.infobip.secretKeyHex, 'hex');
    expect((await jwtVerify(infobip.token, key, at)).payload).toMatchObject({ sub: 'alice', typ: 'Bearer' });

    const stream = await exchangeToken(deps, { token, provider: 'stream' });
    expect(stream.expiresAt).toBeNull();
    expect(claimsOf(stream.token)).toEqual({ user_id: 'alice' });
    await jwtVerify(stream.token, Buffer.from(bodies.stream.apiSecret), at);
  });

  it('counts as a use: a SlidingTtl token exchanged within its ttl stays alive past issue + ttl', async () => {
    const deps = await seededDeps();
    await withProviders(deps);
    const { token } = await issueFor(deps, { expiryType: 'SlidingTtl', ttl: '100' });
    deps.clock.advance(80);
    await exchangeToken(deps, { token, provider: 'stream' });
    deps.clock.advance(80); // 160 s after issue, 80 s after the exchange
    await expect(verifyToken(deps, token)).resolves.toMatchObject({ valid: true });
    deps.clock.advance(101);
    expect(await codeOf(exchangeToken(deps, { token, provider: 'stream' }))).toBe('TOKEN_EXPIRED');
  });

  it('refuses a revoked, a rotated and an expired user token as verify does', async () => {
    const deps = await seededDeps();
    await withProviders(deps);
    const revoked = await issueFor(deps, { expiryType: 'Infinite' });
    await revokePresentedToken(deps, revoked.token);
    expect(await codeOf(exchangeToken(deps, { token: revoked.token, provider: 'stream' }))).toBe(
      'TOKEN_REVOKED',
    );

    const rotated = await issueFor(deps, { expiryType: 'FixedTtl', ttl: '600' });
    await refreshToken(deps, rotated.token);
    deps.clock.advance(deps.config.refreshGraceSeconds + 1);
    expect(await codeOf(exchangeToken(deps, { token: rotated.token, provider: 'stream' }))).toBe(
      'TOKEN_REVOKED',
    );

    const expiring = await issueFor(deps, { expiryType: 'FixedTtl', ttl: '60' });
    deps.clock.advance(61);
    expect(await codeOf(exchangeToken(deps, { token: expiring.token, provider: 'stream' }))).toBe(
      'TOKEN_EXPIRED',
    );
  });

  it('refuses a provider token in place of a user token, at exchange and at verify', async () => {
    const deps = await seededDeps();
    await withProviders(deps);
    const { token } = await issueFor(deps, { expiryType: 'FixedTtl', ttl: '600' });
    for (const provider of ['twilio', 'infobip', 'stream']) {
      const minted = await exchangeToken(deps, { token, provider });
      expect(await codeOf(verifyToken(deps, minted.token))).toBe('TOKEN_STRUCTURE_INVALID');
      expect(await codeOf(exchangeToken(deps, { token: minted.token, provider }))).toBe(
        'TOKEN_STRUCTURE_INVALID',
      );
    }
  });

  it("answers PROVIDER_NOT_FOUND for an unknown, a deleted, or another ecosystem's provider", async () => {
    const deps = await seededDeps();
    await withProviders(deps);
    await seedUser(deps, 'eco2', 'bob');
    await putProvider(deps, { ecosystemId: 'eco2', providerId: 'theirs', body: providerBodies().stream });
    const { token } = await issueFor(deps, { expiryType: 'FixedTtl', ttl: '600' });
    expect(await codeOf(exchangeToken(deps, { token, provider: 'nope' }))).toBe('PROVIDER_NOT_FOUND');
    expect(await codeOf(exchangeToken(deps, { token, provider: 'theirs' }))).toBe('PROVIDER_NOT_FOUND');
    await deps.providers.deleteProvider('eco1', 'stream');
    expect(await codeOf(exchangeToken(deps, { token, provider: 'stream' }))).toBe('PROVIDER_NOT_FOUND');
  });

  it('mints with the new secret as soon as the provider is replaced', async () => {
    const deps = await seededDeps();
    await withProviders(deps);
    const { token } = await issueFor(deps, { expiryType: 'FixedTtl', ttl: '600' });
    await exchangeToken(deps, { token, provider: 'stream' });
    const replacement = providerBodies().stream;
    await putProvider(deps, { ecosystemId: 'eco1', providerId: 'stream', body: replacement });
    const minted = await exchangeToken(deps, { token, provider: 'stream' });
    await jwtVerify(minted.token, Buffer.from(replacement.apiSecret));
  });

  it("refuses everything once the token's ecosystem is deleted, its providers with it", async () => {
    const deps = await seededDeps({ config: { ecosystemCacheSeconds: 0 } });
    await withProviders(deps);
    const { token } = await issueFor(deps, { expiryType: 'FixedTtl', ttl: '600' });
    await deleteEcosystem(deps, 'eco1');
    expect(await codeOf(exchangeToken(deps, { token, provider: 'stream' }))).toBe('TOKEN_REVOKED');
    expect(await deps.providers.listProviders('eco1')).toEqual([]);
  });

  it('checks an audience as verify does, when one is asked for', async () => {
    const deps = await seededDeps();
    await withProviders(deps);
    const bound = await issueFor(deps, { ttl: '600' }, { audience: ['chat-api'] });
    const unbound = await issueFor(deps, { ttl: '600' });
    const exchange = (token: string, audience: unknown) =>
      exchangeToken(deps, { token, provider: 'stream', audience });
    await expect(exchange(bound.token, 'chat-api')).resolves.toMatchObject({ provider: 'stream' });
    await expect(exchange(unbound.token, undefined)).resolves.toMatchObject({ provider: 'stream' });
    expect(await codeOf(exchange(bound.token, 'billing'))).toBe('TOKEN_AUDIENCE_INVALID');
    expect(await codeOf(exchange(unbound.token, 'chat-api'))).toBe('TOKEN_AUDIENCE_INVALID');
    expect(await codeOf(exchange(bound.token, 42))).toBe('BODY_INVALID');
  });

  it('refuses a missing or malformed provider name before reading anything', async () => {
    const deps = await seededDeps();
    const { token } = await issueFor(deps, { expiryType: 'FixedTtl', ttl: '600' });
    expect(await codeOf(exchangeToken(deps, { token, provider: undefined }))).toBe('BODY_INVALID');
    expect(await codeOf(exchangeToken(deps, { token, provider: 42 }))).toBe('BODY_INVALID');
    expect(await codeOf(exchangeToken(deps, { token, provider: '../x' }))).toBe('PROVIDER_INVALID');
  });
});
