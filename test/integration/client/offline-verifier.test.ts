// The offline verifier against a JWKS served over real HTTP while the keys rotate: a new key appears, the
// old one disappears. Fetches are counted at the server; time is a frozen clock moved by hand.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LocalSigner } from '../../../functions/adapters/local-signer.ts';
import { TesseraClient } from '../../../functions/client/http-client.ts';
import { OfflineVerifier } from '../../../functions/client/offline-verifier.ts';
import { importEs256PublicJwk } from '../../../functions/core/es256.ts';
import type { PublicJwk } from '../../../functions/core/ports.ts';
import type { JsonObject } from '../../../functions/core/strict-json.ts';
import { signToken } from '../../../functions/core/token-codec.ts';
import { frozenClock } from '../../helpers/clock.ts';
import { TEST_ACCOUNT_TOKEN } from '../../helpers/deps.ts';
import { newP256Key, signWithKey } from '../../helpers/forge.ts';
import { useTestServer } from '../../helpers/use-test-server.ts';
import { refusal } from './refusal.ts';

/** A JWKS endpoint whose keys and status the test changes, counting the fetches it serves. */
interface JwksServer {
  url: string;
  keys: PublicJwk[];
  status: number;
  fetches: number;
  close(): Promise<void>;
}

async function startJwksServer(keys: PublicJwk[]): Promise<JwksServer> {
  const state = { keys, status: 200, fetches: 0 };
  const server: Server = createServer((_request, response) => {
    state.fetches++;
    response.writeHead(state.status, {
      'content-type': 'application/json',
      'cache-control': 'public, max-age=300',
    });
    response.end(state.status === 200 ? JSON.stringify({ keys: state.keys }) : '{"error":{}}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

const NOW = 1_800_000_000;

function fixedClaims(overrides: JsonObject = {}): JsonObject {
  return {
    iss: 'tessera',
    sub: 'alice',
    jti: '0123456789abcdef0123456789abcdef',
    iat: NOW,
    exp: NOW + 86_400,
    'tsr:eco': 'eco1',
    'tsr:expiry': 'FixedTtl',
    'tsr:ttl': 86_400,
    ...overrides,
  };
}

describe('OfflineVerifier', () => {
  let oldKey: LocalSigner;
  let newKey: LocalSigner;
  let oldJwk: PublicJwk;
  let newJwk: PublicJwk;
  let jwks: JwksServer;

  beforeAll(async () => {
    oldKey = await LocalSigner.fromKey();
    newKey = await LocalSigner.fromKey();
    [oldJwk] = (await oldKey.publicKeys()) as [PublicJwk];
    [newJwk] = (await newKey.publicKeys()) as [PublicJwk];
  });

  afterEach(async () => {
    await jwks.close();
  });

  it('follows a key rotation: caches by kid, refetches for a new kid after the cool-down, drops a retired key', async () => {
    jwks = await startJwksServer([oldJwk]);
    const clock = frozenClock(NOW);
    const verifier = new OfflineVerifier({ jwksUrl: jwks.url, now: clock.now, cooldownSeconds: 30 });
    const oldToken = await signToken(oldKey, fixedClaims({ room: 'general' }));
    const newToken = await signToken(newKey, fixedClaims({ sub: 'bob' }));

    expect(await verifier.verify(oldToken)).toEqual({
      valid: true,
      tokenId: '0123456789abcdef0123456789abcdef',
      userId: 'alice',
      ecosystemId: 'eco1',
      expiryType: 'FixedTtl',
      issuedAt: new Date(NOW * 1000).toISOString(),
      expiresAt: new Date((NOW + 86_400) * 1000).toISOString(),
      claims: { room: 'general' },
      audience: null,
    });
    await verifier.verify(oldToken);
    expect(jwks.fetches).toBe(1);

    // A new key appears. Within the cool-down an unknown kid is refused without a fetch.
    jwks.keys = [newJwk, oldJwk];
    clock.advance(10);
    const early = await refusal(() => verifier.verify(newToken));
    expect([early.code, jwks.fetches]).toEqual(['TOKEN_STRUCTURE_INVALID', 1]);
    clock.advance(20);
    expect((await verifier.verify(newToken)).userId).toBe('bob');
    expect(jwks.fetches).toBe(2);

    // The old key disappears: held until the set's max-age (300 s) runs out, then refused.
    jwks.keys = [newJwk];
    clock.advance(100);
    expect((await verifier.verify(oldToken)).userId).toBe('alice');
    expect(jwks.fetches).toBe(2);
    clock.advance(300);
    const retired = await refusal(() => verifier.verify(oldToken));
    expect(retired.code).toBe('TOKEN_STRUCTURE_INVALID');
    expect(retired.message).toContain('key the JWKS does not hold');
    expect(jwks.fetches).toBe(3);
    await verifier.verify(newToken);
    expect(jwks.fetches).toBe(3);
  });

  it('shares one fetch between concurrent verifications', async () => {
    jwks = await startJwksServer([oldJwk]);
    const verifier = new OfflineVerifier({ jwksUrl: jwks.url, now: frozenClock(NOW).now });
    const token = await signToken(oldKey, fixedClaims());
    const answers = await Promise.all(Array.from({ length: 10 }, () => verifier.verify(token)));
    expect(answers.every((a) => a.valid)).toBe(true);
    expect(jwks.fetches).toBe(1);
  });

  it('keeps the keys it holds when a refresh fails, and says SERVICE_UNAVAILABLE when it holds none', async () => {
    jwks = await startJwksServer([oldJwk]);
    const clock = frozenClock(NOW);
    const verifier = new OfflineVerifier({ jwksUrl: jwks.url, now: clock.now });
    const token = await signToken(oldKey, fixedClaims());
    await verifier.verify(token);
    jwks.status = 503;
    clock.advance(301);
    expect((await verifier.verify(token)).valid).toBe(true);
    expect(jwks.fetches).toBe(2);

    const fresh = new OfflineVerifier({ jwksUrl: jwks.url, now: clock.now });
    const down = await refusal(() => fresh.verify(token));
    expect([down.code, down.status]).toEqual(['SERVICE_UNAVAILABLE', 503]);
    await refusal(() => fresh.verify(token));
    expect(jwks.fetches).toBe(3); // the cool-down holds back a second attempt
  });

  it('refuses SlidingTtl and Infinite tokens without a fetch: they need the service', async () => {
    jwks = await startJwksServer([oldJwk]);
    const verifier = new OfflineVerifier({ jwksUrl: jwks.url, now: frozenClock(NOW).now });
    const sliding = await signToken(oldKey, fixedClaims({ 'tsr:expiry': 'SlidingTtl', exp: NOW + 60 }));
    const { exp: _exp, 'tsr:ttl': _ttl, ...infiniteClaims } = fixedClaims({ 'tsr:expiry': 'Infinite' });
    const infinite = await signToken(oldKey, infiniteClaims);
    for (const token of [sliding, infinite]) {
      const err = await refusal(() => verifier.verify(token));
      expect(err.code).toBe('OFFLINE_VERIFY_UNSUPPORTED');
      expect(err.message).toContain('POST /v1/tokens/verify');
    }
    expect(jwks.fetches).toBe(0);
  });

  it('pins ES256 with its key, our issuer, iat and exp', async () => {
    jwks = await startJwksServer([oldJwk]);
    const clock = frozenClock(NOW);
    const verifier = new OfflineVerifier({ jwksUrl: jwks.url, now: clock.now });
    const token = await signToken(oldKey, fixedClaims());
    const [header, payload] = token.split('.');
    const forged = `${header}.${payload}.${(await signToken(newKey, fixedClaims())).split('.')[2]}`;
    expect((await refusal(() => verifier.verify(forged))).code).toBe('TOKEN_SIGNATURE_INVALID');
    const foreign = await signToken(oldKey, fixedClaims({ iss: 'someone-else' }));
    expect((await refusal(() => verifier.verify(foreign))).code).toBe('TOKEN_STRUCTURE_INVALID');
    const future = await signToken(oldKey, fixedClaims({ iat: NOW + 31 }));
    expect((await refusal(() => verifier.verify(future))).code).toBe('TOKEN_NOT_YET_VALID');
    const notBefore = await signToken(oldKey, fixedClaims({ nbf: NOW + 600 }));
    expect((await refusal(() => verifier.verify(notBefore))).code).toBe('TOKEN_NOT_YET_VALID');
    clock.advance(86_400);
    expect((await refusal(() => verifier.verify(token))).code).toBe('TOKEN_EXPIRED');
  });
  it('takes exactly the JWKS keys the service would verify with: no private key, no other key_ops or use', async () => {
    const { privateKey, publicKey } = newP256Key();
    const { x = '', y = '', d } = privateKey.export({ format: 'jwk' });
    const point = { kty: 'EC', crv: 'P-256', x, y };
    const offCurve = `${y.slice(0, 10)}${y[10] === 'A' ? 'B' : 'A'}${y.slice(11)}`;
    const variants: [kid: string, jwk: Record<string, unknown>, verifies: boolean][] = [
      ['published', { ...point, alg: 'ES256', use: 'sig' }, true],
      ['bare', point, true],
      ['verify-only', { ...point, key_ops: ['verify'] }, true],
      ['sign-and-verify', { ...point, key_ops: ['sign', 'verify'] }, true],
      ['private', { ...point, d }, false],
      ['encrypt-ops', { ...point, key_ops: ['encrypt'] }, false],
      ['ops-as-text', { ...point, key_ops: 'verify' }, false],
      ['for-encryption', { ...point, use: 'enc' }, false],
      ['other-alg', { ...point, alg: 'ES384' }, false],
      ['short-x', { ...point, x: x.slice(1) }, false],
      ['off-curve', { ...point, y: offCurve }, false],
    ];
    expect(publicKey.export({ format: 'jwk' })).toMatchObject(point);
    jwks = await startJwksServer(variants.map(([kid, jwk]) => ({ ...jwk, kid }) as unknown as PublicJwk));
    const verifier = new OfflineVerifier({ jwksUrl: jwks.url, now: frozenClock(NOW).now });
    for (const [kid, jwk, verifies] of variants) {
      const token = signWithKey(privateKey, { alg: 'ES256', typ: 'JWT', kid }, fixedClaims());
      const verdict = await verifier.verify(token).then(
        () => 'valid',
        (err: { code: string }) => err.code,
      );
      // The service's own key import decides the same for each.
      expect({ kid, verdict, service: importEs256PublicJwk(jwk) !== undefined }).toEqual({
        kid,
        verdict: verifies ? 'valid' : 'TOKEN_STRUCTURE_INVALID',
        service: verifies,
      });
    }
    expect(jwks.fetches).toBe(1);
  });
});

describe('OfflineVerifier with the local server', () => {
  const clock = frozenClock(Math.floor(Date.now() / 1000));
  const server = useTestServer({ clock });

  it('verifies a FixedTtl token the service issued, with the service JWKS, until its deadline', async () => {
    const admin = new TesseraClient({ baseUrl: server.url, credential: TEST_ACCOUNT_TOKEN });
    const { ecosystemId } = await admin.createEcosystem();
    await admin.putUser(ecosystemId, 'dana');
    const issued = await admin.issueToken(ecosystemId, 'dana', { ttl: 120, claims: { tier: 'gold' } });

    const verifier = new OfflineVerifier({ jwksUrl: `${server.url}/.well-known/jwks.json`, now: clock.now });
    expect(await verifier.verify(issued.token)).toMatchObject({
      tokenId: issued.tokenId,
      userId: 'dana',
      ecosystemId,
      expiresAt: issued.expiresAt,
      claims: { tier: 'gold' },
    });
    clock.advance(120);
    expect((await refusal(() => verifier.verify(issued.token))).code).toBe('TOKEN_EXPIRED');
  });
});
