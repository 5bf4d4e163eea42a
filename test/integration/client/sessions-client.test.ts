// The clients' part of audiences, labels, revoke-others and ecosystem-wide revocations, against the real
// local server: TesseraClient's methods, the local pre-check that refuses the wrong audience without a call,
// and the offline verifier's audience check (the same reader rule as the service's).
import { OfflineVerifier, TesseraClient } from 'tessera/client';
import { describe, expect, it } from 'vitest';
import { frozenClock } from '../../helpers/clock.ts';
import { TEST_ACCOUNT_TOKEN } from '../../helpers/deps.ts';
import { useTestServer } from '../../helpers/use-test-server.ts';
import { refusal } from './refusal.ts';

describe('TesseraClient: audiences, labels, revoke-others, revocations', () => {
  const clock = frozenClock(Math.floor(Date.now() / 1000));
  const server = useTestServer({ clock });
  const calls: string[] = [];
  const countingFetch: typeof fetch = (input, init) => {
    calls.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`);
    return fetch(input, init);
  };
  const client = () => new TesseraClient({ baseUrl: server.url, credential: TEST_ACCOUNT_TOKEN });

  async function userWithTokens() {
    const admin = client();
    const { ecosystemId } = await admin.createEcosystem();
    await admin.putUser(ecosystemId, 'erin');
    const laptop = await admin.issueToken(ecosystemId, 'erin', { audience: ['chat-api'], label: 'laptop' });
    const phone = await admin.issueToken(ecosystemId, 'erin', { label: 'phone' });
    return { admin, ecosystemId, laptop, phone };
  }

  it('issues with an audience and a label, and verifies for that audience', async () => {
    const { admin, ecosystemId, laptop } = await userWithTokens();
    await expect(admin.verifyToken(laptop.token, { audience: 'chat-api' })).resolves.toMatchObject({
      audience: ['chat-api'],
    });
    const listed = await admin.listUserTokens(ecosystemId, 'erin');
    // Oldest first; both were issued within the same second, so compare them as a set.
    expect(listed.map((t) => t.label).sort()).toEqual(['laptop', 'phone']);
  });

  it('refuses the wrong audience before any call, and the service refuses it with the pre-check off', async () => {
    const { laptop, phone } = await userWithTokens();
    const checking = new TesseraClient({ baseUrl: server.url, fetch: countingFetch });
    calls.length = 0;
    for (const token of [laptop.token, phone.token]) {
      const err = await refusal(() => checking.verifyToken(token, { audience: 'admin-api' }));
      expect([err.code, err.status]).toEqual(['TOKEN_AUDIENCE_INVALID', 401]);
    }
    expect(calls).toEqual([]);
    const trusting = new TesseraClient({ baseUrl: server.url, precheck: false, fetch: countingFetch });
    const err = await refusal(() => trusting.verifyToken(laptop.token, { audience: 'admin-api' }));
    expect([err.code, err.status]).toEqual(['TOKEN_AUDIENCE_INVALID', 401]);
    expect(calls).toEqual(['POST /v1/tokens/verify']);
  });

  it('signs out everywhere else', async () => {
    const { admin, laptop, phone } = await userWithTokens();
    await expect(admin.revokeOtherTokens(laptop.token)).resolves.toEqual({ revoked: 1 });
    expect((await refusal(() => admin.verifyToken(phone.token))).code).toBe('TOKEN_REVOKED');
    await expect(admin.verifyToken(laptop.token)).resolves.toMatchObject({ valid: true });
  });

  it('creates, lists and undoes ecosystem-wide revocations', async () => {
    const { admin, ecosystemId, laptop } = await userWithTokens();
    clock.advance(1);
    const made = await admin.createRevocation(ecosystemId, new Date(clock.now()));
    expect(made.issuedBefore).toBe(new Date(clock.seconds() * 1000).toISOString());
    expect((await refusal(() => admin.verifyToken(laptop.token))).code).toBe('TOKEN_REVOKED');
    await expect(admin.listRevocations(ecosystemId)).resolves.toEqual([made]);
    await admin.deleteRevocation(ecosystemId, made.revocationId);
    await expect(admin.verifyToken(laptop.token)).resolves.toMatchObject({ valid: true });
    const gone = await refusal(() => admin.deleteRevocation(ecosystemId, made.revocationId));
    expect([gone.code, gone.status]).toEqual(['REVOCATION_NOT_FOUND', 404]);
    const future = await refusal(() => admin.createRevocation(ecosystemId, '2999-01-01T00:00:00Z'));
    expect(future.code).toBe('BODY_INVALID');
  });

  it('checks an audience offline too, with the JWKS alone', async () => {
    const { laptop, phone } = await userWithTokens();
    const verifier = new OfflineVerifier({ jwksUrl: `${server.url}/.well-known/jwks.json`, now: clock.now });
    await expect(verifier.verify(laptop.token, { audience: 'chat-api' })).resolves.toMatchObject({
      audience: ['chat-api'],
    });
    expect((await refusal(() => verifier.verify(laptop.token, { audience: 'admin-api' }))).code).toBe(
      'TOKEN_AUDIENCE_INVALID',
    );
    expect((await refusal(() => verifier.verify(phone.token, { audience: 'chat-api' }))).code).toBe(
      'TOKEN_AUDIENCE_INVALID',
    );
    await expect(verifier.verify(phone.token)).resolves.toMatchObject({ audience: null });
  });
});
