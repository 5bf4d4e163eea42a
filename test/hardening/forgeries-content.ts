// The catalogue's forgeries of what a token says: keys and instructions embedded in the header, hostile kids,
// other header members and types, claims missing or mistyped, times, duplicate members, size, someone
// else's tokens and tampered claims.
import { DEFAULT_CONFIG } from '../../functions/core/deps.ts';
import { MAX_TOKEN_LENGTH } from '../../functions/core/token-reader.ts';
import {
  b64url,
  newP256Key,
  signatureOf,
  signingInputOf,
  signWithKey,
  withSignature,
} from '../helpers/forge.ts';
import { type Attack, claims, header, service } from './forge-context.ts';

export const CONTENT_FORGERIES: Attack[] = [
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
