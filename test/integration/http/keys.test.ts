// The JWKS over real HTTP: its shape, its Cache-Control max-age, and that it is enough for anyone to check
// a FixedTtl token offline with a standard JOSE library.
import { calculateJwkThumbprint, createLocalJWKSet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { frozenClock } from '../../helpers/clock.ts';
import { partsOf } from '../../helpers/forge.ts';
import { useSeededServer } from '../../helpers/use-test-server.ts';
import { expectError } from './expect-error.ts';

const clock = frozenClock();

const { server, seed } = useSeededServer({ clock });

describe('GET /.well-known/jwks.json', () => {
  it('publishes public P-256 keys only, each with its kid, ES256 and use "sig"', async () => {
    const result = await server.call('GET', '/.well-known/jwks.json');
    expect(result.status).toBe(200);
    expect(Object.keys(result.body)).toEqual(['keys']);
    expect(result.body.keys.length).toBeGreaterThan(0);
    for (const key of result.body.keys) {
      expect(Object.keys(key).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
      expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
      expect(Buffer.from(key.x, 'base64url')).toHaveLength(32);
      expect(Buffer.from(key.y, 'base64url')).toHaveLength(32);
      // The kid is the RFC 7638 thumbprint, so the same key has the same id wherever it is computed.
      expect(key.kid).toBe(await calculateJwkThumbprint({ kty: 'EC', crv: 'P-256', x: key.x, y: key.y }));
    }
  });

  it('lets clients cache it: Cache-Control public with a max-age', async () => {
    const result = await server.call('GET', '/.well-known/jwks.json');
    const cacheControl = result.headers.get('cache-control') ?? '';
    expect(cacheControl).toMatch(/\bpublic\b/);
    expect(Number(/\bmax-age=(\d+)\b/.exec(cacheControl)?.[1])).toBeGreaterThan(0);
    expect(cacheControl).not.toMatch(/no-store/);
  });

  it('names the key that signs the tokens', async () => {
    const jwks = (await server.call('GET', '/.well-known/jwks.json')).body;
    const issued = await server.call('POST', `/v1/ecosystems/${seed.ecosystemId}/users/alice/tokens`, {
      bearer: seed.serverToken,
    });
    const { kid } = partsOf(issued.body.token).header;
    expect(jwks.keys.map((k: { kid: string }) => k.kid)).toContain(kid);
  });

  it('is enough to check a FixedTtl token offline, deadline included', async () => {
    const jwks = createLocalJWKSet((await server.call('GET', '/.well-known/jwks.json')).body);
    const issued = await server.call('POST', `/v1/ecosystems/${seed.ecosystemId}/users/alice/tokens?ttl=60`, {
      bearer: seed.serverToken,
    });
    const now = new Date(clock.now());
    const { payload } = await jwtVerify(issued.body.token, jwks, {
      algorithms: ['ES256'],
      issuer: 'tessera',
      currentDate: now,
    });
    expect(payload).toMatchObject({ sub: 'alice', jti: issued.body.tokenId, 'tsr:eco': seed.ecosystemId });
    await expect(
      jwtVerify(issued.body.token, jwks, {
        algorithms: ['ES256'],
        currentDate: new Date(clock.now() + 60_000),
      }),
    ).rejects.toMatchObject({ code: 'ERR_JWT_EXPIRED' });
  });

  it('needs no credential and takes no query field or other method', async () => {
    expect(
      (await server.call('GET', '/.well-known/jwks.json', { headers: { authorization: 'Bearer nonsense' } }))
        .status,
    ).toBe(200);
    expectError(await server.call('GET', '/.well-known/jwks.json?kid=x'), 400, 'QUERY_FIELD_NOT_ALLOWED');
    const post = await server.call('POST', '/.well-known/jwks.json');
    expectError(post, 405, 'METHOD_NOT_ALLOWED');
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});
