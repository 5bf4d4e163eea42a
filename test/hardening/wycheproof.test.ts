// Wycheproof's ECDSA P-256 (P1363) vectors through the service's one signature check, and every ES256 case
// of its JWS file through the service's JWS rules, key import and decodeToken.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalSigner } from '../../functions/adapters/local-signer.ts';
import { epochSeconds } from '../../functions/core/clock.ts';
import { importEs256PublicJwk, verifyEs256 } from '../../functions/core/es256.ts';
import type { PublicJwk, Signer } from '../../functions/core/ports.ts';
import { parseStrictJsonObject } from '../../functions/core/strict-json.ts';
import { decodeToken, KeyRing, signToken } from '../../functions/core/token-codec.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures/wycheproof');
const readVectors = <T>(file: string): T => JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as T;

type Result = 'valid' | 'invalid' | 'acceptable';

interface EcdsaFile {
  numberOfTests: number;
  testGroups: {
    publicKey: { wx: string; wy: string };
    publicKeyJwk?: Record<string, unknown>;
    tests: { tcId: number; comment: string; msg: string; sig: string; result: Result }[];
  }[];
}

interface JwsFile {
  testGroups: {
    comment: string;
    public?: Record<string, unknown>;
    private?: Record<string, unknown>;
    tests: { tcId: number; comment: string; jws: string; result: Result }[];
  }[];
}

const ecdsa = readVectors<EcdsaFile>('ecdsa_secp256r1_sha256_p1363_test.json');
/** A 32-byte coordinate in base64url, from Wycheproof's hex (which may drop leading zero bytes). */
const coordinate = (hex: string): string => Buffer.from(hex.padStart(64, '0'), 'hex').toString('base64url');
/** Some groups carry no JWK, only the point: the same key, spelled as a JWK. */
const jwkOf = (group: EcdsaFile['testGroups'][number]): Record<string, unknown> =>
  group.publicKeyJwk ?? {
    kty: 'EC',
    crv: 'P-256',
    x: coordinate(group.publicKey.wx),
    y: coordinate(group.publicKey.wy),
  };
const ecdsaCases = ecdsa.testGroups.flatMap((group) => {
  const jwk = jwkOf(group);
  return group.tests.map((test) => ({ ...test, jwk }));
});

const jwsFile = readVectors<JwsFile>('json_web_signature_test.json');
/** The ES256 cases: every group whose key is a P-256 key (signing, or marked for encryption). */
const es256Groups = jwsFile.testGroups.filter((group) => group.public?.crv === 'P-256');
const es256Cases = es256Groups.flatMap((group) =>
  group.tests.map((test) => ({ ...test, group: group.comment, jwk: group.public ?? {} })),
);

/**
 * Acceptable vectors (legacy encodings a verifier may take) are refused: Tessera only ever has to accept
 * signatures its own signer made, so it takes the strict side. This file version has none.
 */
const expected = (result: Result): boolean => result === 'valid';

const isCanonicalBase64url = (part: string): boolean =>
  /^[A-Za-z0-9_-]*$/.test(part) && Buffer.from(part, 'base64url').toString('base64url') === part;

/**
 * The JWS layer of decodeToken, in its order: three canonical base64url parts, a strict JSON header with
 * `alg: ES256`, the key named by `kid` and no member other than alg/kid/typ (so no jwk, jku, x5u, x5c,
 * crit or b64), the key imported only when meant for ES256 signatures, then the signature. Only the two
 * rules no third-party JWS meets (`typ: "JWT"` and a payload of Tessera claims) are left out here; the
 * decodeToken tests below show those refuse every one of these vectors.
 */
function tesseraJwsVerdict(jws: string, jwk: Record<string, unknown>): boolean {
  const parts = jws.split('.');
  if (parts.length !== 3 || !parts.every(isCanonicalBase64url)) return false;
  const [headerPart = '', payloadPart = '', signaturePart = ''] = parts;
  const header = parseStrictJsonObject(Buffer.from(headerPart, 'base64url').toString('utf8'));
  if (header === undefined || header.alg !== 'ES256' || header.kid !== jwk.kid) return false;
  if (Object.keys(header).some((name) => !['alg', 'kid', 'typ'].includes(name))) return false;
  const key = importEs256PublicJwk(jwk);
  if (key === undefined) return false;
  const signingInput = new TextEncoder().encode(`${headerPart}.${payloadPart}`);
  return verifyEs256(key, signingInput, Buffer.from(signaturePart, 'base64url'));
}

/** A signer that publishes its key with the given JWK members changed (e.g. marked for encryption). */
function republishing(base: Signer, change: Record<string, unknown>): Signer {
  return {
    alg: 'ES256',
    kid: () => base.kid(),
    sign: (input) => base.sign(input),
    publicKeys: async () => (await base.publicKeys()).map((jwk) => ({ ...jwk, ...change }) as PublicJwk),
  };
}

async function rejectionCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return (err as { code?: string }).code ?? 'not a TesseraError';
  }
  return 'accepted';
}

describe('verifyEs256 against Wycheproof ECDSA P-256 SHA-256 P1363', () => {
  it('holds all 262 vectors: 173 valid, 89 invalid, none acceptable', () => {
    expect(ecdsa.numberOfTests).toBe(262);
    expect(ecdsaCases).toHaveLength(262);
    expect(ecdsaCases.filter((c) => c.result === 'valid')).toHaveLength(173);
    expect(ecdsaCases.filter((c) => c.result === 'invalid')).toHaveLength(89);
  });

  it('accepts every valid vector and refuses every invalid one', () => {
    const keys = new Map<Record<string, unknown>, KeyObject | undefined>();
    const disagreements = ecdsaCases.filter((c) => {
      if (!keys.has(c.jwk)) keys.set(c.jwk, importEs256PublicJwk(c.jwk));
      const key = keys.get(c.jwk);
      if (key === undefined) return true;
      const verdict = verifyEs256(key, Buffer.from(c.msg, 'hex'), Buffer.from(c.sig, 'hex'));
      return verdict !== expected(c.result);
    });
    expect(disagreements.map((c) => `${c.tcId} ${c.comment}`)).toEqual([]);
  });

  it('refuses the psychic signature r = s = 0, raw and DER-encoded', () => {
    const key = importEs256PublicJwk(ecdsaCases[0]?.jwk) as KeyObject;
    const msg = Buffer.from('313233343030', 'hex');
    expect(verifyEs256(key, msg, Buffer.alloc(64))).toBe(false);
    expect(verifyEs256(key, msg, Buffer.from('3006020100020100', 'hex'))).toBe(false);
  });
});

describe('the JWS path against Wycheproof ES256 cases', () => {
  it('covers the 41 ES256 cases of the file', () => {
    expect(es256Cases).toHaveLength(41);
  });

  it.each(es256Cases)('tcId $tcId ($group: $comment) is $result', ({ jws, jwk, result }) => {
    expect(tesseraJwsVerdict(jws, jwk)).toBe(expected(result));
  });

  it('refuses a key marked for encryption by use or key_ops, and one bound to another alg', () => {
    const signing = es256Groups.find((g) => g.comment === 'es256')?.public ?? {};
    expect(importEs256PublicJwk(signing)).toBeDefined();
    expect(importEs256PublicJwk({ ...signing, use: 'enc' })).toBeUndefined();
    expect(importEs256PublicJwk({ ...signing, key_ops: ['encrypt'] })).toBeUndefined();
    expect(importEs256PublicJwk({ ...signing, alg: 'ECDH-ES' })).toBeUndefined();
    expect(importEs256PublicJwk({ ...signing, kty: 'oct' })).toBeUndefined();
  });

  it('refuses every one of them in decodeToken, which also demands typ JWT and Tessera claims', async () => {
    const group = es256Groups.find((g) => g.comment === 'es256');
    const signer = await LocalSigner.fromKey(createPrivateKey({ key: { ...group?.private }, format: 'jwk' }));
    const keys = new KeyRing(republishing(signer, { kid: 'kid-ec-sign' }));
    for (const { jws } of es256Cases) {
      expect(await rejectionCode(decodeToken(jws, keys, 'tessera'))).toBe('TOKEN_STRUCTURE_INVALID');
    }
  });
});

describe('decodeToken with the Wycheproof ES256 key as the service key', () => {
  const group = es256Groups.find((g) => g.comment === 'es256');
  const special = es256Groups.find((g) => g.comment === 'SpecialCaseEs256');
  const claims = {
    iss: 'tessera',
    sub: 'alice',
    jti: '0123456789abcdef0123456789abcdef',
    iat: epochSeconds(Date.now()),
    'tsr:eco': 'eco1',
    'tsr:expiry': 'Infinite',
  } as const;

  async function genuineToken(): Promise<{ token: string; signer: Signer }> {
    const signer = await LocalSigner.fromKey(createPrivateKey({ key: { ...group?.private }, format: 'jwk' }));
    return { token: await signToken(signer, claims), signer };
  }

  it('accepts a Tessera token that key signed', async () => {
    const { token, signer } = await genuineToken();
    const decoded = await decodeToken(token, new KeyRing(signer), 'tessera');
    expect(decoded.claims.jti).toBe(claims.jti);
  });

  it('refuses that token once the published key is marked for encryption or other key_ops', async () => {
    const { token, signer } = await genuineToken();
    for (const change of [{ use: 'enc' }, { key_ops: ['encrypt'] }, { alg: 'RS256' }]) {
      const keys = new KeyRing(republishing(signer, change));
      expect(await rejectionCode(decodeToken(token, keys, 'tessera'))).toBe('TOKEN_STRUCTURE_INVALID');
    }
  });

  it('refuses every invalid boundary signature of SpecialCaseEs256 grafted onto that token', async () => {
    const { token, signer } = await genuineToken();
    const keys = new KeyRing(signer);
    const signingInput = token.slice(0, token.lastIndexOf('.'));
    const invalid = (special?.tests ?? []).filter((t) => t.result === 'invalid');
    expect(invalid).toHaveLength(23);
    for (const { jws } of invalid) {
      const forged = `${signingInput}.${jws.split('.')[2]}`;
      expect(await rejectionCode(decodeToken(forged, keys, 'tessera'))).toBe('TOKEN_SIGNATURE_INVALID');
    }
  });
});
