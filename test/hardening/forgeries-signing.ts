// The catalogue's forgeries of the algorithm, the signature and the encoding: alg none, HS256 keyed with the
// public key, ES384, the psychic signature, DER and wrong-length signatures, a missing or extra part, and
// base64url in any spelling but the canonical one.
import { createPublicKey } from 'node:crypto';
import { b64url, hs256, signatureOf, signingInputOf, withSignature } from '../helpers/forge.ts';
import { type Attack, claims, type ForgeContext, header, service } from './forge-context.ts';

/** Re-signs the genuine token until its signature segment holds both `-` and `_` (ECDSA is randomized). */
async function signatureWithUrlCharacters(ctx: ForgeContext): Promise<string> {
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
async function unusedBitsInPayload(ctx: ForgeContext, rest: 2 | 3): Promise<string> {
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

const publicPem = (ctx: ForgeContext): Promise<string> =>
  ctx.signer.publicKeys().then(([jwk]) =>
    createPublicKey({ key: { ...jwk }, format: 'jwk' })
      .export({ type: 'spki', format: 'pem' })
      .toString(),
  );

export const SIGNING_FORGERIES: Attack[] = [
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
];
