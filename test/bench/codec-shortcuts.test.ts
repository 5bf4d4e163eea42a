// The shortcuts the verify hot path takes for speed (a header cache, JSON.parse when it round-trips, the
// canonical base64url check without re-encoding) must answer exactly as the strict checks they skip: each
// case here is a token signed with the service's own key that a careless shortcut would let through.
import { describe, expect, it } from 'vitest';
import { decodeToken, signToken } from '../../functions/core/token-codec.ts';
import { codecFixture, ISSUER } from '../helpers/codec-fixture.ts';
import { b64url, forgeToken } from '../helpers/forge.ts';

const STRUCTURE = { code: 'TOKEN_STRUCTURE_INVALID' };

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = { v: value };
  return value;
}

describe('decodeToken shortcuts', () => {
  it('still refuses a signed payload nested deeper than the strict parser allows', async () => {
    const { signer, keys, header, claims } = await codecFixture();
    const deep = await forgeToken(signer, header, { ...claims, deep: nested(40) });
    await expect(decodeToken(deep, keys, ISSUER)).rejects.toMatchObject(STRUCTURE);
    const shallow = await forgeToken(signer, header, { ...claims, deep: nested(20) });
    await expect(decodeToken(shallow, keys, ISSUER)).resolves.toMatchObject({
      extraClaims: { deep: nested(20) },
    });
  });

  it('still refuses a signed payload holding an escaped lone surrogate, which JSON.stringify writes back', async () => {
    const { signer, keys, header, claims } = await codecFixture();
    for (const lone of ['\ud800', '\udfff']) {
      const token = await forgeToken(signer, header, { ...claims, note: `a${lone}b` });
      await expect(decodeToken(token, keys, ISSUER)).rejects.toMatchObject(STRUCTURE);
    }
  });

  it('keeps a "__proto__" claim an ordinary member of the extra claims, never a prototype', async () => {
    const { signer, keys, header, claims } = await codecFixture();
    const token = await forgeToken(
      signer,
      header,
      `${JSON.stringify(claims).slice(0, -1)},"__proto__":{"admin":true}}`,
    );
    const { extraClaims } = await decodeToken(token, keys, ISSUER);
    expect(Object.keys(extraClaims)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(extraClaims)).toBe(Object.prototype);
    expect((extraClaims as { admin?: unknown }).admin).toBeUndefined();
  });

  it('answers a payload in another spelling (spaces, escapes) through the strict parser, with the same claims', async () => {
    const { signer, keys, header, claims } = await codecFixture();
    const spaced = JSON.stringify({ ...claims, plan: 'pro' }, null, 2).replace('"pro"', '"pr\\u006f"');
    const token = await forgeToken(signer, header, spaced);
    const { claims: read, extraClaims } = await decodeToken(token, keys, ISSUER);
    expect(read.sub).toBe('alice');
    expect(extraClaims).toEqual({ plan: 'pro' });
  });

  it('refuses a header after the same kid was seen in a valid one, when its spelling differs', async () => {
    const { signer, keys, header, claims } = await codecFixture();
    const genuine = await signToken(signer, claims);
    await expect(decodeToken(genuine, keys, ISSUER)).resolves.toMatchObject({ kid: header.kid });
    const duplicated = `{"alg":"ES256","typ":"JWT","kid":${JSON.stringify(header.kid)},"kid":${JSON.stringify(header.kid)}}`;
    await expect(
      decodeToken(await forgeToken(signer, duplicated, claims), keys, ISSUER),
    ).rejects.toMatchObject(STRUCTURE);
    const headerPart = genuine.slice(0, genuine.indexOf('.'));
    const padded = `${headerPart}==${genuine.slice(genuine.indexOf('.'))}`;
    await expect(decodeToken(padded, keys, ISSUER)).rejects.toMatchObject(STRUCTURE);
  });

  it('checks canonical base64url exactly as decoding and re-encoding would, for every last character', async () => {
    const { signer, keys, claims } = await codecFixture();
    // The signature is 86 characters (2 mod 4); pad a claim until the payload is 3 mod 4: both spare-bit cases.
    let genuine = '';
    for (let pad = 0; pad < 4; pad++) {
      genuine = await signToken(signer, { ...claims, pad: 'x'.repeat(pad) });
      if ((genuine.split('.')[1] ?? '').length % 4 === 3) break;
    }
    const first = genuine.indexOf('.');
    const dot = genuine.lastIndexOf('.');
    expect([(dot - first - 1) % 4, (genuine.length - dot - 1) % 4]).toEqual([3, 2]);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    let refused = 0;
    for (const [start, end] of [
      [dot + 1, genuine.length],
      [first + 1, dot],
    ] as const) {
      const part = genuine.slice(start, end);
      for (const last of alphabet) {
        const spelling = part.slice(0, -1) + last;
        const canonical = b64url(Buffer.from(spelling, 'base64url')) === spelling;
        const token = genuine.slice(0, start) + spelling + genuine.slice(end);
        const outcome = await decodeToken(token, keys, ISSUER).then(
          () => 'ok',
          (err: { code: string; message: string }) =>
            err.message.includes('canonical') ? 'non-canonical' : err.code,
        );
        expect(outcome === 'non-canonical').toBe(!canonical);
        if (!canonical) refused++;
      }
    }
    expect(refused).toBe(64 - 16 + 64 - 4); // 2 mod 4 keeps 4 spare bits, 3 mod 4 keeps 2
  });
});
