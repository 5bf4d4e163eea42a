// The token reader with the verification primitive passed in: WebCrypto as the client passes it, answers
// given synchronously or as promises (of this realm or another), and only `true` counting as verified. The
// format rules themselves are pinned through decodeToken (token-codec.test.ts) and the attack catalogue.
import type { webcrypto } from 'node:crypto';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import {
  readToken,
  readUnverifiedToken,
  type SignatureVerifier,
} from '../../../functions/core/token-reader.ts';
import { codecFixture, ISSUER } from '../../helpers/codec-fixture.ts';
import { forgeToken, segment } from '../../helpers/forge.ts';

const STRUCTURE = { code: 'TOKEN_STRUCTURE_INVALID' };
const SIGNATURE = { code: 'TOKEN_SIGNATURE_INVALID' };

/** A verifier that knows one kid and answers `verdict` for every signature, counting its calls. */
function answering(kid: string, verdict: () => unknown) {
  const calls = { keyFor: 0, verify: 0 };
  const verifier: SignatureVerifier<string> = {
    keyFor: (wanted) => {
      calls.keyFor++;
      return Promise.resolve(wanted === kid ? 'the key' : undefined);
    },
    verify: () => {
      calls.verify++;
      return verdict() as boolean;
    },
    unknownKey: 'the test does not know',
  };
  return { verifier, calls };
}

describe('readToken', () => {
  it('verifies with WebCrypto, as the client passes it', async () => {
    const { signer, header, claims } = await codecFixture();
    const [jwk] = await signer.publicKeys();
    const key = await crypto.subtle.importKey(
      'jwk',
      { ...jwk },
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['verify'],
    );
    const webCrypto: SignatureVerifier<webcrypto.CryptoKey> = {
      keyFor: (kid) => (kid === header.kid ? key : undefined),
      verify: (k, input, signature) =>
        crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, k, signature, input),
      unknownKey: 'the JWKS does not hold',
    };
    const token = await forgeToken(signer, header, claims);
    await expect(readToken(token, webCrypto, ISSUER)).resolves.toMatchObject({ kid: header.kid, claims });
    const tampered = await forgeToken(signer, header, { ...claims, sub: 'mallory' });
    const [h, p] = tampered.split('.');
    const grafted = `${h}.${p}.${token.split('.')[2]}`;
    await expect(readToken(grafted, webCrypto, ISSUER)).rejects.toMatchObject(SIGNATURE);
  });

  it('counts only true as verified, whether answered at once or as a promise of any realm', async () => {
    const { signer, header, claims } = await codecFixture();
    const token = await forgeToken(signer, header, claims);
    const verdicts: [string, () => unknown, boolean][] = [
      ['true', () => true, true],
      ['a promise of true', () => Promise.resolve(true), true],
      ['a promise of true from another realm', () => runInNewContext('Promise.resolve(true)'), true],
      ['a promise of false from another realm', () => runInNewContext('Promise.resolve(false)'), false],
      ['1', () => 1, false],
      ['an object', () => ({}), false],
      ['a promise of "true"', () => Promise.resolve('true'), false],
    ];
    for (const [what, verdict, verifies] of verdicts) {
      const { verifier } = answering(header.kid, verdict);
      const outcome = await readToken(token, verifier, ISSUER).then(
        () => 'verified',
        (err: { code: string }) => err.code,
      );
      expect({ what, outcome }).toEqual({ what, outcome: verifies ? 'verified' : SIGNATURE.code });
    }
  });

  it('refuses an unknown kid as a token not ours, naming whose keys, before decoding the payload', async () => {
    const { signer, header } = await codecFixture();
    const { verifier, calls } = answering('another kid', () => true);
    const token = await forgeToken(signer, header, 'not even JSON');
    await expect(readToken(token, verifier, ISSUER)).rejects.toMatchObject({
      ...STRUCTURE,
      message: expect.stringContaining('signed with a key the test does not know'),
    });
    expect(calls).toEqual({ keyFor: 1, verify: 0 });
  });
});

describe('readUnverifiedToken', () => {
  it('applies every rule that needs no key, and judges neither the signature nor the issuer', async () => {
    const { signer, header, claims } = await codecFixture();
    const foreign = await forgeToken(signer, header, { ...claims, iss: 'someone-else' });
    const [h, p] = foreign.split('.');
    expect(readUnverifiedToken(`${h}.${p}.${'A'.repeat(86)}`).claims.iss).toBe('someone-else');
    expect(() => readUnverifiedToken(`${h}.${p}.${'A'.repeat(85)}B`)).toThrow(/not canonical base64url/);
    expect(() => readUnverifiedToken(`${h}.${segment({ ...claims, exp: 'soon' })}.`)).toThrow(
      expect.objectContaining(STRUCTURE),
    );
  });
});
