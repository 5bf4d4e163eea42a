// The catalogue of known JWT attacks (RFC 8725, the OWASP JWT cheat sheet, past CVEs of JWT libraries and
// ECDSA verifiers; the forgeries are in attack-forgeries.ts), each presented to verify and refresh over real
// HTTP and to the Lambda authorizer: every one is a 401 with its stable code, never a 5xx, and none leaves a
// trace in the store.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LocalSigner } from '../../functions/adapters/local-signer.ts';
import { createHandler as createAuthorizer } from '../../functions/authorizer/handler.ts';
import { DEFAULT_CONFIG } from '../../functions/core/deps.ts';
import type { Signer } from '../../functions/core/ports.ts';
import { decodeToken, KeyRing, MAX_TOKEN_LENGTH } from '../../functions/core/token-codec.ts';
import { frozenClock } from '../helpers/clock.ts';
import { malleate, signingInputOf } from '../helpers/forge.ts';
import { removeDataDir, seedThroughApi, startTestServer, type TestServer } from '../helpers/server.ts';
import { useTestServer } from '../helpers/use-test-server.ts';
import { ATTACKS } from './attack-forgeries.ts';
import {
  httpApiAuthorizerEvent,
  restRequestAuthorizerEvent,
  restTokenAuthorizerEvent,
} from './authorizer-events.ts';
import { type ForgeContext, genuineContext, header } from './forge-context.ts';

type Door = (token: string) => Promise<{ status: number; code: string | undefined }>;

describe('the JWT attack catalogue', () => {
  const clock = frozenClock(Math.floor(Date.now() / 1000));
  const server = useTestServer({ clock });
  let ctx: ForgeContext;
  const doors: Record<string, Door> = {};

  beforeAll(async () => {
    ctx = await genuineContext(server, clock.seconds());

    const authorize = createAuthorizer(server.local.deps);
    const overHttp =
      (path: string): Door =>
      async (token) => {
        const answer = await server.call('POST', path, { body: { token } });
        return { status: answer.status, code: answer.body?.error?.code };
      };
    doors['verify over HTTP'] = overHttp('/v1/tokens/verify');
    doors['refresh over HTTP'] = overHttp('/v1/tokens/refresh');
    doors['the HTTP API authorizer'] = async (token) => {
      const answer = await authorize(httpApiAuthorizerEvent(token));
      return {
        status: 'isAuthorized' in answer && answer.isAuthorized === false ? 401 : 200,
        code: undefined,
      };
    };
    doors['the REST TOKEN authorizer'] = async (token) => {
      try {
        await authorize(restTokenAuthorizerEvent(token));
        return { status: 200, code: undefined };
      } catch (err) {
        // API Gateway turns exactly this message into a 401; any other error is a 500.
        return { status: (err as Error).message === 'Unauthorized' ? 401 : 500, code: undefined };
      }
    };
    doors['the REST REQUEST authorizer'] = async (token) => {
      try {
        await authorize(restRequestAuthorizerEvent(token));
        return { status: 200, code: undefined };
      } catch (err) {
        return { status: (err as Error).message === 'Unauthorized' ? 401 : 500, code: undefined };
      }
    };
    doors['GET /v1/me over HTTP (authorizer in front)'] = async (token) => {
      const answer = await server.call('GET', '/v1/me', { bearer: token });
      return { status: answer.status, code: answer.body?.error?.code ?? answer.body?.message };
    };
  });

  it('lets the genuine token through verify, every authorizer kind and /v1/me, so each refusal below is earned', async () => {
    for (const door of [
      'verify over HTTP',
      'the HTTP API authorizer',
      'the REST TOKEN authorizer',
      'the REST REQUEST authorizer',
      'GET /v1/me over HTTP (authorizer in front)',
    ]) {
      expect({ door, status: (await doors[door]?.(ctx.genuine))?.status }).toEqual({ door, status: 200 });
    }
  });

  describe.each([
    'verify over HTTP',
    'refresh over HTTP',
    'the HTTP API authorizer',
    'the REST TOKEN authorizer',
    'the REST REQUEST authorizer',
    'GET /v1/me over HTTP (authorizer in front)',
  ])('%s', (door) => {
    it.each(ATTACKS)('refuses %s (%s)', async (_name, code, forge) => {
      const token = await forge(ctx);
      expect(token).not.toBe(ctx.genuine);
      const answer = await doors[door]?.(token);
      // An HTTP API answers a token its authorizer refuses with its own 403 {"message":"Forbidden"} (API.md
      // v1.1), which the local server reproduces; every other door answers 401.
      expect(answer?.status).toBe(door.startsWith('GET /v1/me') ? 403 : 401);
      const gateway = door.startsWith('GET /v1/me') ? 'Forbidden' : undefined;
      expect(answer?.code).toBe(door.includes('authorizer') ? gateway : code);
    });
  });

  it('still verifies the genuine token after every attack: refused refreshes changed nothing', async () => {
    const answer = await server.call('POST', '/v1/tokens/verify', { body: { token: ctx.genuine } });
    expect(answer.status).toBe(200);
    expect(answer.body.tokenId).toBe(ctx.payload.jti);
  });

  it('answers a verify with a token as large as the body allows with 401, never 413 or 5xx', async () => {
    const answer = await server.call('POST', '/v1/tokens/verify', { body: { token: 'a'.repeat(16_000) } });
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('TOKEN_STRUCTURE_INVALID');
  });

  it('refuses a forged token sent as Authorization: Bearer just as in the body', async () => {
    const token = `${signingInputOf(header(ctx, { alg: 'none' }), ctx.payload)}.`;
    const answer = await server.call('POST', '/v1/tokens/verify', { bearer: token });
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('TOKEN_STRUCTURE_INVALID');
  });
});

describe('decodeToken on an oversized token', () => {
  it('refuses it before fetching any key or parsing any JSON', async () => {
    let keyFetches = 0;
    const signer = await LocalSigner.fromKey();
    const counting: Signer = {
      alg: 'ES256',
      kid: () => signer.kid(),
      sign: (input) => signer.sign(input),
      publicKeys: async () => {
        keyFetches++;
        return signer.publicKeys();
      },
    };
    // Not even base64url or JSON: only the length check can answer.
    const token = `{{{.${'!'.repeat(MAX_TOKEN_LENGTH)}.}}}`;
    await expect(decodeToken(token, new KeyRing(counting), 'tessera')).rejects.toMatchObject({
      code: 'TOKEN_STRUCTURE_INVALID',
      message: expect.stringContaining(`longer than ${MAX_TOKEN_LENGTH}`),
    });
    expect(keyFetches).toBe(0);
  });
});

describe('ECDSA malleability (s becomes n - s)', () => {
  const clock = frozenClock(Math.floor(Date.now() / 1000));
  let server: TestServer;
  let issue: () => Promise<{ token: string; tokenId: string }>;

  beforeEach(async () => {
    server = await startTestServer({ clock });
    const { ecosystemId, serverToken } = await seedThroughApi(server);
    issue = async () => {
      const path = `/v1/ecosystems/${ecosystemId}/users/alice/tokens?expiryType=FixedTtl&ttl=3600`;
      const answer = await server.call('POST', path, { bearer: serverToken });
      return answer.body;
    };
  });

  afterEach(async () => {
    await server.stop();
    await removeDataDir(server.dataDir);
  });

  const call = (path: string, token: string) => server.call('POST', path, { body: { token } });

  it('gives a different string that still verifies as the same tokenId', async () => {
    const { token, tokenId } = await issue();
    const twin = malleate(token);
    expect(twin).not.toBe(token);
    const answer = await call('/v1/tokens/verify', twin);
    expect(answer.status).toBe(200);
    expect(answer.body.tokenId).toBe(tokenId);
  });

  it('revokes the twin with the token, and the token with the twin: revocation keys on jti', async () => {
    const first = await issue();
    expect((await call('/v1/tokens/revoke', first.token)).status).toBe(204);
    expect((await call('/v1/tokens/verify', malleate(first.token))).body.error.code).toBe('TOKEN_REVOKED');

    const second = await issue();
    expect((await call('/v1/tokens/revoke', malleate(second.token))).status).toBe(204);
    expect((await call('/v1/tokens/verify', second.token)).body.error.code).toBe('TOKEN_REVOKED');
  });

  it('answers the same successor when the twin is refreshed within the grace period: rotation keys on jti', async () => {
    const { token } = await issue();
    const refreshed = await call('/v1/tokens/refresh', token);
    expect(refreshed.status).toBe(200);
    const retried = await call('/v1/tokens/refresh', malleate(token));
    expect(retried.status).toBe(200);
    expect(retried.body.tokenId).toBe(refreshed.body.tokenId);
    expect((await call('/v1/tokens/verify', malleate(token))).body.error.code).toBe('TOKEN_REVOKED');
  });

  it('detects reuse of the twin after the grace period and revokes the family: reuse keys on jti', async () => {
    const { token } = await issue();
    const successor = (await call('/v1/tokens/refresh', token)).body;
    clock.advance(DEFAULT_CONFIG.refreshGraceSeconds + 1);
    const reused = await call('/v1/tokens/refresh', malleate(token));
    expect(reused.status).toBe(401);
    expect(reused.body.error.code).toBe('TOKEN_REUSED');
    expect((await call('/v1/tokens/verify', successor.token)).body.error.code).toBe('TOKEN_REVOKED');
    expect((await call('/v1/tokens/verify', malleate(successor.token))).body.error.code).toBe(
      'TOKEN_REVOKED',
    );
  });
});
