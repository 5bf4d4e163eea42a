// The catalogue of known JWT attacks (RFC 8725, the OWASP JWT cheat sheet, past CVEs of JWT libraries and
// ECDSA verifiers), each presented to verify and refresh over real HTTP and to the Lambda authorizer: every
// one is a 401 with its stable code, never a 5xx, and none leaves a trace in the store.
import { createPublicKey } from 'node:crypto';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LocalSigner } from '../../functions/adapters/local-signer.ts';
import { createHandler as createAuthorizer } from '../../functions/authorizer/handler.ts';
import { DEFAULT_CONFIG } from '../../functions/core/deps.ts';
import type { TokenErrorCode } from '../../functions/core/errors.ts';
import type { Signer } from '../../functions/core/ports.ts';
import { decodeToken, KeyRing, MAX_TOKEN_LENGTH } from '../../functions/core/token-codec.ts';
import { frozenClock } from '../helpers/clock.ts';
import {
  b64url,
  forgeToken,
  hs256,
  malleate,
  newP256Key,
  partsOf,
  signatureOf,
  signingInputOf,
  signWithKey,
  withSignature,
} from '../helpers/forge.ts';
import { removeDataDir, seedThroughApi, startTestServer, type TestServer } from '../helpers/server.ts';
import { useTestServer } from '../helpers/use-test-server.ts';
import {
  httpApiAuthorizerEvent,
  restRequestAuthorizerEvent,
  restTokenAuthorizerEvent,
} from './authorizer-events.ts';

interface Context {
  signer: Signer;
  kid: string;
  /** A genuine FixedTtl token of alice, and its header and payload. */
  genuine: string;
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  now: number;
}

type Attack = [name: string, code: TokenErrorCode, forge: (ctx: Context) => string | Promise<string>];

/** The genuine payload with some claims changed or removed (undefined removes). */
function claims(ctx: Context, change: Record<string, unknown>): Record<string, unknown> {
  const payload: Record<string, unknown> = { ...ctx.payload, ...change };
  for (const [name, value] of Object.entries(change)) if (value === undefined) delete payload[name];
  return payload;
}

/** The genuine header with members added, changed or removed (undefined removes). */
function header(ctx: Context, change: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...ctx.header, ...change };
  for (const [name, value] of Object.entries(change)) if (value === undefined) delete result[name];
  return result;
}

const service = (ctx: Context, h: unknown, p: unknown) => forgeToken(ctx.signer, h, p);

/** Re-signs the genuine token until its signature segment holds both `-` and `_` (ECDSA is randomized). */
async function signatureWithUrlCharacters(ctx: Context): Promise<string> {
  for (;;) {
    const token = await service(ctx, ctx.header, ctx.payload);
    const segment = token.slice(token.lastIndexOf('.') + 1);
    if (segment.includes('-') && segment.includes('_')) return token;
  }
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * A payload segment whose length is `rest` mod 4, its last character's spare bits set (same bytes, another
 * spelling), and the whole signed by the service key over that spelling: only the canonical check can refuse.
 */
async function unusedBitsInPayload(ctx: Context, rest: 2 | 3): Promise<string> {
  let pad = '';
  let segment = b64url(JSON.stringify(claims(ctx, { pad })));
  while (segment.length % 4 !== rest) {
    pad += 'x';
    segment = b64url(JSON.stringify(claims(ctx, { pad })));
  }
  const last = ALPHABET.indexOf(segment.at(-1) ?? 'A');
  const spelled = `${segment.slice(0, -1)}${ALPHABET[last | 1]}`;
  const input = `${b64url(JSON.stringify(ctx.header))}.${spelled}`;
  return `${input}.${b64url(await ctx.signer.sign(new TextEncoder().encode(input)))}`;
}

const publicPem = (ctx: Context): Promise<string> =>
  ctx.signer.publicKeys().then(([jwk]) =>
    createPublicKey({ key: { ...jwk }, format: 'jwk' })
      .export({ type: 'spki', format: 'pem' })
      .toString(),
  );

const ATTACKS: Attack[] = [
  // alg: none, in any capitalization, with and without a signature
  ...['none', 'None', 'NONE', 'nOnE'].map(
    (alg): Attack => [
      `alg "${alg}" with an empty signature`,
      'TOKEN_STRUCTURE_INVALID',
      (ctx) => `${signingInputOf(header(ctx, { alg }), ctx.payload)}.`,
    ],
  ),
  [
    'alg "none" carrying a genuine signature',
    'TOKEN_STRUCTURE_INVALID',
    (ctx) =>
      `${signingInputOf(header(ctx, { alg: 'none' }), ctx.payload)}.${b64url(signatureOf(ctx.genuine))}`,
  ],
  // algorithm confusion: HS256 keyed with the public key, in each spelling a verifier might use
  [
    'HS256 keyed with the public key as PEM',
    'TOKEN_STRUCTURE_INVALID',
    async (ctx) => hs256(await publicPem(ctx), header(ctx, { alg: 'HS256' }), ctx.payload),
  ],
  [
    'HS256 keyed with the public JWK as JSON',
    'TOKEN_STRUCTURE_INVALID',
    async (ctx) =>
      hs256(JSON.stringify((await ctx.signer.publicKeys())[0]), header(ctx, { alg: 'HS256' }), ctx.payload),
  ],
  [
    'HS256 keyed with the raw public point',
    'TOKEN_STRUCTURE_INVALID',
    async (ctx) => {
      const [jwk] = await ctx.signer.publicKeys();
      const point = Buffer.concat([
        Buffer.from([4]),
        Buffer.from(jwk?.x ?? '', 'base64url'),
        Buffer.from(jwk?.y ?? '', 'base64url'),
      ]);
      return hs256(point, header(ctx, { alg: 'HS256' }), ctx.payload);
    },
  ],
  [
    'ES384 claimed for an ES256 signature',
    'TOKEN_STRUCTURE_INVALID',
    (ctx) => service(ctx, header(ctx, { alg: 'ES384' }), ctx.payload),
  ],
  // the psychic signature (CVE-2022-21449) and other encodings
  [
    'the psychic signature r = s = 0, raw',
    'TOKEN_SIGNATURE_INVALID',
    (ctx) => withSignature(ctx.genuine, Buffer.alloc(64)),
  ],
  [
    'the psychic signature r = s = 0, DER',
    'TOKEN_SIGNATURE_INVALID',
    (ctx) => withSignature(ctx.genuine, Buffer.from('3006020100020100', 'hex')),
  ],
  [
    'r = s = n, raw',
    'TOKEN_SIGNATURE_INVALID',
    (ctx) => {
      const n = Buffer.from('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551', 'hex');
      return withSignature(ctx.genuine, Buffer.concat([n, n]));
    },
  ],
  [
    'a valid signature DER-encoded instead of raw r‖s',
    'TOKEN_SIGNATURE_INVALID',
    async (ctx) => {
      const der = await ctx.signer.sign(
        new TextEncoder().encode(ctx.genuine.slice(0, ctx.genuine.lastIndexOf('.'))),
      );
      // the local signer answers r‖s; re-encode it as DER the way a KMS answer looks
      const r = Buffer.from(der.subarray(0, 32));
      const s = Buffer.from(der.subarray(32));
      const int = (v: Buffer) => {
        let x = v;
        while (x.length > 1 && x[0] === 0 && (x[1] ?? 0) < 0x80) x = x.subarray(1);
        if ((x[0] ?? 0) >= 0x80) x = Buffer.concat([Buffer.from([0]), x]);
        return Buffer.concat([Buffer.from([2, x.length]), x]);
      };
      const body = Buffer.concat([int(r), int(s)]);
      return withSignature(ctx.genuine, Buffer.concat([Buffer.from([0x30, body.length]), body]));
    },
  ],
  [
    'a signature one byte short',
    'TOKEN_SIGNATURE_INVALID',
    (ctx) => withSignature(ctx.genuine, signatureOf(ctx.genuine).subarray(0, 63)),
  ],
  [
    'a signature with a zero byte appended',
    'TOKEN_SIGNATURE_INVALID',
    (ctx) => withSignature(ctx.genuine, Buffer.concat([signatureOf(ctx.genuine), Buffer.from([0])])),
  ],
  [
    'a signature twice as long',
    'TOKEN_SIGNATURE_INVALID',
    (ctx) => withSignature(ctx.genuine, Buffer.concat([signatureOf(ctx.genuine), signatureOf(ctx.genuine)])),
  ],
  ['an empty signature', 'TOKEN_SIGNATURE_INVALID', (ctx) => withSignature(ctx.genuine, '')],
  [
    'no signature part at all',
    'TOKEN_STRUCTURE_INVALID',
    (ctx) => ctx.genuine.slice(0, ctx.genuine.lastIndexOf('.')),
  ],
  ['a fourth part', 'TOKEN_STRUCTURE_INVALID', (ctx) => `${ctx.genuine}.${b64url('x')}`],
  // non-canonical base64url of genuine bytes
  [
    'unused bits set in the last signature character',
    'TOKEN_STRUCTURE_INVALID',
    (ctx) => {
      const segment = ctx.genuine.slice(ctx.genuine.lastIndexOf('.') + 1);
      const last = ALPHABET.indexOf(segment.at(-1) ?? 'A');
      return withSignature(ctx.genuine, `${segment.slice(0, -1)}${ALPHABET[last | 1]}`);
    },
  ],
  ...([2, 3] as const).map(
    (rest): Attack => [
      `unused bits set in a payload of length ${rest} mod 4, signed as sent`,
      'TOKEN_STRUCTURE_INVALID',
      (ctx) => unusedBitsInPayload(ctx, rest),
    ],
  ),
  ['"=" padding on the signature', 'TOKEN_STRUCTURE_INVALID', (ctx) => `${ctx.genuine}==`],
  [
    '"=" padding on the payload',
    'TOKEN_STRUCTURE_INVALID',
    (ctx) => {
      const [h, p, s] = ctx.genuine.split('.');
      return `${h}.${p}=.${s}`;
    },
  ],
  [
    '"+" and "/" instead of "-" and "_"',
    'TOKEN_STRUCTURE_INVALID',
    async (ctx) => (await signatureWithUrlCharacters(ctx)).replaceAll('-', '+').replaceAll('_', '/'),
  ],
  ['whitespace inside the token', 'TOKEN_STRUCTURE_INVALID', (ctx) => ctx.genuine.replace('.', ' .')],
  // keys and instructions embedded in the header
  ...(['jwk', 'jku', 'x5u', 'x5c'] as const).map(
    (member): Attack => [
      `a "${member}" header naming the attacker's key`,
      'TOKEN_STRUCTURE_INVALID',
      () => {
        const attacker = newP256Key();
        const jwk = attacker.publicKey.export({ format: 'jwk' });
        const values = {
          jwk,
          jku: 'https://attacker.example/jwks.json',
          x5u: 'https://attacker.example/cert.pem',
          x5c: ['MIIBszCCAVmgAwIBAgIUAttacker'],
        };
        return signWithKey(
          attacker.privateKey,
          { alg: 'ES256', typ: 'JWT', kid: 'attacker', [member]: values[member] },
          {},
        );
      },
    ],
  ),
  [
    'a "jwk" header under our kid, signed by the embedded key',
    'TOKEN_STRUCTURE_INVALID',
    (ctx) => {
      const attacker = newP256Key();
      const jwk = attacker.publicKey.export({ format: 'jwk' });
      return signWithKey(attacker.privateKey, header(ctx, { jwk }), ctx.payload);
    },
  ],
  // kid
  [
    'an unknown kid',
    'TOKEN_STRUCTURE_INVALID',
    (ctx) => service(ctx, header(ctx, { kid: 'no-such-key' }), ctx.payload),
  ],
  [
    'a path-traversal kid',
    'TOKEN_STRUCTURE_INVALID',
    (ctx) => service(ctx, header(ctx, { kid: '../../../../dev/null' }), ctx.payload),
  ],
  [
    'an SQL-injection kid',
    'TOKEN_STRUCTURE_INVALID',
    (ctx) => service(ctx, header(ctx, { kid: "x' OR '1'='1" }), ctx.payload),
  ],
  [
    'a NoSQL-injection kid object',
    'TOKEN_STRUCTURE_INVALID',
    (ctx) => service(ctx, header(ctx, { kid: { $ne: null } }), ctx.payload),
  ],
  [
    'a command-injection kid',
    'TOKEN_STRUCTURE_INVALID',
    (ctx) => service(ctx, header(ctx, { kid: '|cat /etc/passwd' }), ctx.payload),
  ],
  [
    'a "__proto__" kid',
    'TOKEN_STRUCTURE_INVALID',
    (ctx) => service(ctx, header(ctx, { kid: '__proto__' }), ctx.payload),
  ],
  ['an empty kid', 'TOKEN_STRUCTURE_INVALID', (ctx) => service(ctx, header(ctx, { kid: '' }), ctx.payload)],
  ['no kid', 'TOKEN_STRUCTURE_INVALID', (ctx) => service(ctx, header(ctx, { kid: undefined }), ctx.payload)],
  // header members we do not understand, and types other than ours
  [
    'a "crit" header',
    'TOKEN_STRUCTURE_INVALID',
    (ctx) => service(ctx, header(ctx, { crit: ['exp'], exp: 1 }), ctx.payload),
  ],
  [
    '"b64": false (RFC 7797)',
    'TOKEN_STRUCTURE_INVALID',
    (ctx) => service(ctx, header(ctx, { b64: false, crit: ['b64'] }), ctx.payload),
  ],
  [
    'typ "at+jwt"',
    'TOKEN_STRUCTURE_INVALID',
    (ctx) => service(ctx, header(ctx, { typ: 'at+jwt' }), ctx.payload),
  ],
  ['typ "JWE"', 'TOKEN_STRUCTURE_INVALID', (ctx) => service(ctx, header(ctx, { typ: 'JWE' }), ctx.payload)],
  ['no typ', 'TOKEN_STRUCTURE_INVALID', (ctx) => service(ctx, header(ctx, { typ: undefined }), ctx.payload)],
  [
    'a header that is a JSON array',
    'TOKEN_STRUCTURE_INVALID',
    (ctx) => service(ctx, '["ES256"]', ctx.payload),
  ],
  [
    'a payload that is a JSON string',
    'TOKEN_STRUCTURE_INVALID',
    (ctx) => service(ctx, ctx.header, '"alice"'),
  ],
  // required claims missing or mistyped (signed with the service's own key, so only the claim is wrong)
  [
    'no exp on a FixedTtl token',
    'TOKEN_STRUCTURE_INVALID',
    (ctx) => service(ctx, ctx.header, claims(ctx, { exp: undefined })),
  ],
  [
    'a string exp',
    'TOKEN_STRUCTURE_INVALID',
    (ctx) => service(ctx, ctx.header, claims(ctx, { exp: String(ctx.now + 3600) })),
  ],
  [
    'a fractional exp',
    'TOKEN_STRUCTURE_INVALID',
    (ctx) => service(ctx, ctx.header, claims(ctx, { exp: ctx.now + 0.5 })),
  ],
  ['no iat', 'TOKEN_STRUCTURE_INVALID', (ctx) => service(ctx, ctx.header, claims(ctx, { iat: undefined }))],
  [
    'a string iat',
    'TOKEN_STRUCTURE_INVALID',
    (ctx) => service(ctx, ctx.header, claims(ctx, { iat: String(ctx.now) })),
  ],
  ['a null iat', 'TOKEN_STRUCTURE_INVALID', (ctx) => service(ctx, ctx.header, claims(ctx, { iat: null }))],
  ['no sub', 'TOKEN_STRUCTURE_INVALID', (ctx) => service(ctx, ctx.header, claims(ctx, { sub: undefined }))],
  ['a numeric sub', 'TOKEN_STRUCTURE_INVALID', (ctx) => service(ctx, ctx.header, claims(ctx, { sub: 42 }))],
  ['no jti', 'TOKEN_STRUCTURE_INVALID', (ctx) => service(ctx, ctx.header, claims(ctx, { jti: undefined }))],
  ['a numeric jti', 'TOKEN_STRUCTURE_INVALID', (ctx) => service(ctx, ctx.header, claims(ctx, { jti: 7 }))],
  [
    'an array jti',
    'TOKEN_STRUCTURE_INVALID',
    (ctx) => service(ctx, ctx.header, claims(ctx, { jti: [ctx.payload.jti] })),
  ],
  // time
  [
    'iat in the future beyond the clock skew',
    'TOKEN_NOT_YET_VALID',
    (ctx) => service(ctx, ctx.header, claims(ctx, { iat: ctx.now + DEFAULT_CONFIG.clockSkewSeconds + 60 })),
  ],
  [
    'nbf in the future',
    'TOKEN_NOT_YET_VALID',
    (ctx) => service(ctx, ctx.header, claims(ctx, { nbf: ctx.now + 3600 })),
  ],
  ['exp in the past', 'TOKEN_EXPIRED', (ctx) => service(ctx, ctx.header, claims(ctx, { exp: ctx.now - 1 }))],
  // duplicate members: two parsers could read two different tokens
  [
    'a header with alg twice',
    'TOKEN_STRUCTURE_INVALID',
    (ctx) =>
      service(ctx, `{"alg":"none","alg":"ES256","typ":"JWT","kid":${JSON.stringify(ctx.kid)}}`, ctx.payload),
  ],
  [
    'a payload with sub twice',
    'TOKEN_STRUCTURE_INVALID',
    (ctx) => service(ctx, ctx.header, `${JSON.stringify(ctx.payload).slice(0, -1)},"sub":"mallory"}`),
  ],
  [
    'a payload with a member name spelled twice through an escape',
    'TOKEN_STRUCTURE_INVALID',
    (ctx) => service(ctx, ctx.header, `${JSON.stringify(ctx.payload).slice(0, -1)},"s\\u0075b":"mallory"}`),
  ],
  // size
  [
    `a token over ${MAX_TOKEN_LENGTH} characters`,
    'TOKEN_STRUCTURE_INVALID',
    (ctx) => service(ctx, ctx.header, claims(ctx, { pad: 'x'.repeat(MAX_TOKEN_LENGTH) })),
  ],
  // someone else's tokens, and tampering
  [
    'another issuer',
    'TOKEN_STRUCTURE_INVALID',
    (ctx) => service(ctx, ctx.header, claims(ctx, { iss: 'https://evil.example' })),
  ],
  [
    'another key under our kid',
    'TOKEN_SIGNATURE_INVALID',
    (ctx) => signWithKey(newP256Key().privateKey, ctx.header, ctx.payload),
  ],
  [
    'a FixedTtl token with its exp rewritten',
    'TOKEN_SIGNATURE_INVALID',
    (ctx) => {
      const [, , signature] = ctx.genuine.split('.');
      return `${signingInputOf(ctx.header, claims(ctx, { exp: ctx.now + 10 * 365 * 86_400 }))}.${signature}`;
    },
  ],
  [
    'a token with its sub rewritten to another user',
    'TOKEN_SIGNATURE_INVALID',
    (ctx) => `${signingInputOf(ctx.header, claims(ctx, { sub: 'bob' }))}.${b64url(signatureOf(ctx.genuine))}`,
  ],
  [
    'a genuine payload with a signature of another token',
    'TOKEN_SIGNATURE_INVALID',
    async (ctx) => {
      const other = await service(ctx, ctx.header, claims(ctx, { jti: 'f'.repeat(32) }));
      return withSignature(ctx.genuine, signatureOf(other));
    },
  ],
  [
    'a token the service never issued, signed with its key',
    'TOKEN_REVOKED',
    (ctx) => service(ctx, ctx.header, claims(ctx, { jti: 'a'.repeat(32) })),
  ],
];

type Door = (token: string) => Promise<{ status: number; code: string | undefined }>;

describe('the JWT attack catalogue', () => {
  const clock = frozenClock(Math.floor(Date.now() / 1000));
  const server = useTestServer({ clock });
  let ctx: Context;
  const doors: Record<string, Door> = {};

  beforeAll(async () => {
    const { ecosystemId, serverToken } = await seedThroughApi(server);
    const issued = await server.call(
      'POST',
      `/v1/ecosystems/${ecosystemId}/users/alice/tokens?expiryType=FixedTtl&ttl=3600`,
      {
        bearer: serverToken,
      },
    );
    const signer = server.local.deps.signer;
    const { header: h, payload } = partsOf(issued.body.token);
    ctx = {
      signer,
      kid: await signer.kid(),
      genuine: issued.body.token,
      header: h,
      payload,
      now: clock.seconds(),
    };

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
