// Target 1: ES256 verification with every claim check of a FixedTtl token, as operations per CPU second and
// as a ratio to a bare node:crypto verify of the same token, in the same run; jose's jwtVerify alongside.
import { createPublicKey, verify } from 'node:crypto';
import { importJWK, jwtVerify } from 'jose';
import { epochSeconds } from '../../functions/core/clock.ts';
import { decodeToken } from '../../functions/core/token-codec.ts';
import { verifyToken } from '../../functions/core/verify-token.ts';
import { issueFor, seedUser, testDeps } from '../helpers/deps.ts';
import { cpuSummary, interleaved } from './measure.ts';

export interface VerifyCpuResult {
  /** Median verifications per CPU second of each candidate. */
  opsPerCpuSecond: Record<string, number>;
  /** Median over rounds of each candidate's rate over bare node:crypto's in the same round. */
  ratioToBareNodeCrypto: Record<string, number>;
  rounds: number;
  batchSize: number;
  tokenBytes: number;
}

/** The candidates, by the names results.json uses. */
export const VERIFY_CANDIDATES = {
  bare: 'node:crypto bare',
  tessera: 'tessera decode + claim checks',
  tesseraFull: 'tessera verifyToken (embedded store)',
  jose: 'jose jwtVerify',
} as const;

/**
 * Measures the verify candidates on one FixedTtl token signed with a real P-256 key.
 *
 * @example
 * const result = await benchVerifyCpu({ rounds: 15, batchSize: 2000 });
 */
export async function benchVerifyCpu(options: {
  rounds: number;
  batchSize: number;
}): Promise<VerifyCpuResult> {
  const deps = await testDeps();
  await seedUser(deps);
  const { token } = await issueFor(deps, { expiryType: 'FixedTtl', ttl: '3600' });
  const [jwk] = await deps.signer.publicKeys();
  if (jwk === undefined) throw new Error('the signer has no key');
  const key = createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, format: 'jwk' });
  const joseKey = await importJWK({ ...jwk }, 'ES256');
  const { issuer, clockSkewSeconds } = deps.config;

  // The least any verifier must do: split, decode the signature, check it over the signing input.
  const bare = () => {
    const dot = token.lastIndexOf('.');
    const signature = Buffer.from(token.slice(dot + 1), 'base64url');
    const ok = verify(
      'sha256',
      Buffer.from(token.slice(0, dot)),
      { key, dsaEncoding: 'ieee-p1363' },
      signature,
    );
    if (!ok) throw new Error('bare verify failed');
  };
  // decodeToken, then the time checks loadPresentedToken makes before its one store read (iat with skew,
  // nbf, exp): everything a FixedTtl verify does short of the revocation lookup.
  const tessera = async () => {
    const { claims, extraClaims } = await decodeToken(token, deps.keys, issuer);
    const now = epochSeconds(deps.clock.now());
    if (!(Math.max(claims.iat, Number(extraClaims.nbf ?? 0)) <= now + clockSkewSeconds))
      throw new Error('iat');
    if (claims.exp !== undefined && now >= claims.exp) throw new Error('exp');
  };
  const tesseraFull = async () => {
    await verifyToken(deps, token);
  };
  const jose = async () => {
    await jwtVerify(token, joseKey, {
      issuer,
      algorithms: ['ES256'],
      currentDate: new Date(deps.clock.now()),
    });
  };

  const { rates, ratios } = await interleaved(
    [
      { name: VERIFY_CANDIDATES.bare, op: bare },
      { name: VERIFY_CANDIDATES.tessera, op: tessera },
      { name: VERIFY_CANDIDATES.tesseraFull, op: tesseraFull },
      { name: VERIFY_CANDIDATES.jose, op: jose },
    ],
    options,
  );
  return { ...cpuSummary(rates, ratios, options), tokenBytes: token.length };
}
