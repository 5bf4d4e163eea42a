// decodeToken: every way a presented string can fail to be one of our tokens, each signed with the real key
// so that the one rule under test is the only one broken.
import { describe, expect, it } from 'vitest';
import { LocalSigner } from '../../../functions/adapters/local-signer.ts';
import type { PublicJwk, Signer } from '../../../functions/core/ports.ts';
import { decodeToken, KeyRing, signToken } from '../../../functions/core/token-codec.ts';
import { codecFixture, ISSUER } from '../../helpers/codec-fixture.ts';
import { forgeToken, segment, signSegments } from '../../helpers/forge.ts';

const STRUCTURE = { code: 'TOKEN_STRUCTURE_INVALID' };
const SIGNATURE = { code: 'TOKEN_SIGNATURE_INVALID' };

/** Another spelling of a base64url segment that decodes to the same bytes (non-zero trailing bits). */
function nonCanonical(canonical: string): string | undefined {
  const bytes = Buffer.from(canonical, 'base64url');
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  for (const last of alphabet) {
    const spelling = canonical.slice(0, -1) + last;
    if (spelling !== canonical && Buffer.from(spelling, 'base64url').equals(bytes)) return spelling;
  }
  return undefined;
}

/** The DER encoding of a raw r||s signature, as KMS answers it before conversion. */
function toDer(raw: Buffer): Buffer {
  const integer = (bytes: Buffer) => {
    let trimmed = bytes;
    while (trimmed.length > 1 && trimmed[0] === 0 && (trimmed[1] ?? 0) < 0x80) trimmed = trimmed.subarray(1);
    const body = (trimmed[0] ?? 0) >= 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed;
    return Buffer.concat([Buffer.from([0x02, body.length]), body]);
  };
  const sequence = Buffer.concat([integer(raw.subarray(0, 32)), integer(raw.subarray(32))]);
  return Buffer.concat([Buffer.from([0x30, sequence.length]), sequence]);
}

function withSignature(token: string, signature: Buffer): string {
  const [header, payload] = token.split('.');
  return `${header}.${payload}.${signature.toString('base64url')}`;
}

describe('decodeToken', () => {
  it('answers the kid, Tessera claims and extra claims of a token it signed', async () => {
    const { signer, keys, claims } = await codecFixture();
    const token = await signToken(signer, { ...claims, role: 'admin' });
    await expect(decodeToken(token, keys, ISSUER)).resolves.toEqual({
      kid: await signer.kid(),
      claims,
      extraClaims: { role: 'admin' },
    });
  });

  describe('refuses non-canonical base64url', () => {
    it('with trailing bits set in the header, payload or signature', async () => {
      const { signer, keys, header, claims } = await codecFixture();
      const spellings: string[] = [];
      for (const pad of ['', 'x', 'xx']) {
        const payload = segment({ ...claims, pad });
        const spelling = nonCanonical(payload); // absent when the byte length leaves no spare bits
        if (spelling !== undefined) spellings.push(await signSegments(signer, segment(header), spelling));
        const spelledHeader = nonCanonical(segment(`${JSON.stringify(header)}${' '.repeat(pad.length)}`));
        if (spelledHeader !== undefined) spellings.push(await signSegments(signer, spelledHeader, payload));
      }
      const [h = '', p = '', s = ''] = (await forgeToken(signer, header, claims)).split('.');
      spellings.push(`${h}.${p}.${nonCanonical(s)}`);
      expect(spellings.length).toBeGreaterThanOrEqual(5);
      for (const token of spellings) {
        await expect(decodeToken(token, keys, ISSUER)).rejects.toMatchObject(STRUCTURE);
      }
    });

    it.each([
      ['padding', (s: string) => `${s}==`],
      ['a standard base64 character', (s: string) => `${s.slice(0, 8)}+${s.slice(9)}`],
      ['a length of 4k + 1', (s: string) => `${s}${'A'.repeat((5 - (s.length % 4)) % 4 || 4)}`],
      ['spaces', (s: string) => ` ${s}`],
    ])('with %s in the payload', async (_, spell) => {
      const { signer, keys, header, claims } = await codecFixture();
      const token = await signSegments(signer, segment(header), spell(segment(claims)));
      await expect(decodeToken(token, keys, ISSUER)).rejects.toMatchObject(STRUCTURE);
    });
  });

  describe('refuses a header other than exactly {"alg":"ES256","typ":"JWT","kid"}', () => {
    it.each([
      ['alg none', { alg: 'none' }],
      ['alg HS256', { alg: 'HS256' }],
      ['alg es256', { alg: 'es256' }],
      ['alg ES384', { alg: 'ES384' }],
      ['typ at+jwt', { typ: 'at+jwt' }],
      ['typ jwt in lower case', { typ: 'jwt' }],
      ['no typ', { typ: undefined }],
      ['no kid', { kid: undefined }],
      ['an empty kid', { kid: '' }],
      ['a numeric kid', { kid: 7 }],
      ['a crit member', { crit: ['exp'] }],
      ['a jwk member', { jwk: { kty: 'EC' } }],
      ['a jku member', { jku: 'https://evil.example/jwks' }],
      ['an x5u member', { x5u: 'https://evil.example/cert' }],
      ['an x5c member', { x5c: ['MII'] }],
      ['any extra member', { cty: 'JWT' }],
    ])('%s', async (_, change) => {
      const { signer, keys, header, claims } = await codecFixture();
      const token = await forgeToken(signer, { ...header, ...change }, claims);
      await expect(decodeToken(token, keys, ISSUER)).rejects.toMatchObject(STRUCTURE);
    });

    it('with a member name twice', async () => {
      const { signer, keys, header, claims } = await codecFixture();
      const text = `{"alg":"ES256","typ":"JWT","kid":"${header.kid}","kid":"${header.kid}"}`;
      const token = await signSegments(signer, segment(text), segment(claims));
      await expect(decodeToken(token, keys, ISSUER)).rejects.toMatchObject(STRUCTURE);
    });

    it('that is not a JSON object', async () => {
      const { signer, keys, claims } = await codecFixture();
      for (const text of ['[]', '"ES256"', 'not json']) {
        const token = await signSegments(signer, segment(text), segment(claims));
        await expect(decodeToken(token, keys, ISSUER)).rejects.toMatchObject(STRUCTURE);
      }
    });
  });

  describe('refuses a signature that does not verify', () => {
    it.each([
      ['an empty signature', Buffer.alloc(0)],
      ['63 bytes', Buffer.alloc(63, 1)],
      ['65 bytes', Buffer.alloc(65, 1)],
      ['r = s = 0', Buffer.alloc(64)],
    ])('%s', async (_, signature) => {
      const { signer, keys, header, claims } = await codecFixture();
      const token = withSignature(await forgeToken(signer, header, claims), signature);
      await expect(decodeToken(token, keys, ISSUER)).rejects.toMatchObject(SIGNATURE);
    });

    it('in DER form, or with a byte too many or too few around a genuine one', async () => {
      const { signer, keys, header, claims } = await codecFixture();
      const token = await forgeToken(signer, header, claims);
      const raw = Buffer.from(token.split('.')[2] ?? '', 'base64url');
      for (const signature of [toDer(raw), Buffer.concat([raw, Buffer.from([0])]), raw.subarray(1)]) {
        await expect(decodeToken(withSignature(token, signature), keys, ISSUER)).rejects.toMatchObject(
          SIGNATURE,
        );
      }
      await expect(decodeToken(token, keys, ISSUER)).resolves.toBeDefined();
    });
  });

  describe('refuses a payload, signed by us, that is not a Tessera claim set', () => {
    it.each([
      ['no iss', { iss: undefined }],
      ['no sub', { sub: undefined }],
      ['an empty sub', { sub: '' }],
      ['a numeric sub', { sub: 5 }],
      ['no jti', { jti: undefined }],
      ['a null jti', { jti: null }],
      ['no iat', { iat: undefined }],
      ['an iat as text', { iat: '1800000000' }],
      ['a fractional iat', { iat: 1_800_000_000.5 }],
      ['an exp as text', { exp: '1800003600' }],
      ['a FixedTtl token without exp', { exp: undefined }],
      ['no tsr:eco', { 'tsr:eco': undefined }],
      ['no tsr:expiry', { 'tsr:expiry': undefined }],
      ['an unknown tsr:expiry', { 'tsr:expiry': 'fixedttl' }],
      ['a FixedTtl token without tsr:ttl', { 'tsr:ttl': undefined }],
      [
        'a SlidingTtl token without tsr:ttl',
        { exp: undefined, 'tsr:expiry': 'SlidingTtl', 'tsr:ttl': undefined },
      ],
      ['a tsr:ttl as text', { 'tsr:ttl': '3600' }],
    ])('%s', async (_, change) => {
      const { signer, keys, header, claims } = await codecFixture();
      const token = await forgeToken(signer, header, { ...claims, ...change });
      await expect(decodeToken(token, keys, ISSUER)).rejects.toMatchObject(STRUCTURE);
    });

    it('an Infinite token needs neither exp nor tsr:ttl', async () => {
      const { signer, keys, header, claims } = await codecFixture();
      const { exp: _exp, 'tsr:ttl': _ttl, ...infinite } = { ...claims, 'tsr:expiry': 'Infinite' };
      const token = await forgeToken(signer, header, infinite);
      await expect(decodeToken(token, keys, ISSUER)).resolves.toMatchObject({ claims: infinite });
    });

    it('a claim given twice', async () => {
      const { signer, keys, header, claims } = await codecFixture();
      const text = JSON.stringify(claims).replace('"sub":"alice"', '"sub":"alice","sub":"mallory"');
      const token = await signSegments(signer, segment(header), segment(text));
      await expect(decodeToken(token, keys, ISSUER)).rejects.toMatchObject(STRUCTURE);
    });

    it('a payload that is not a JSON object', async () => {
      const { signer, keys, header } = await codecFixture();
      for (const text of ['[]', '"claims"', '{"iss":']) {
        const token = await signSegments(signer, segment(header), segment(text));
        await expect(decodeToken(token, keys, ISSUER)).rejects.toMatchObject(STRUCTURE);
      }
    });

    it('a token of another issuer', async () => {
      const { signer, keys, header, claims } = await codecFixture();
      const token = await forgeToken(signer, header, { ...claims, iss: 'someone-else' });
      await expect(decodeToken(token, keys, ISSUER)).rejects.toMatchObject({
        ...STRUCTURE,
        message: expect.stringContaining('another service'),
      });
      const ours = await forgeToken(signer, header, claims);
      await expect(decodeToken(ours, keys, 'tessera-staging')).rejects.toMatchObject(STRUCTURE);
    });
  });
});

describe('KeyRing', () => {
  it('retries a failed key fetch on the next call instead of caching the failure', async () => {
    const real = await LocalSigner.fromKey();
    let calls = 0;
    const flaky: Signer = {
      alg: 'ES256',
      kid: () => real.kid(),
      sign: (input) => real.sign(input),
      publicKeys: async (): Promise<PublicJwk[]> => {
        calls++;
        if (calls === 1) throw new Error('KMS is down');
        return real.publicKeys();
      },
    };
    const ring = new KeyRing(flaky);
    await expect(ring.get(await real.kid())).rejects.toThrow('KMS is down');
    await expect(ring.get(await real.kid())).resolves.toBeDefined();
    await ring.get(await real.kid());
    expect(calls).toBe(2);
  });
});
