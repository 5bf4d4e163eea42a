// Verifying a FixedTtl token with the JWKS alone, no call to Tessera: ES256 signature, our header, issuer,
// iat and exp. Revocation is not seen offline; SlidingTtl and Infinite tokens are refused: they need the service.
import { verify } from 'node:crypto';
import { TesseraClientError } from './client-error.ts';
import { JwksCache, type JwksCacheOptions } from './jwks-cache.ts';
import { assertBeforeDeadline, inspectToken } from './token-precheck.ts';
import type { JsonObject } from './types.ts';

export interface OfflineVerifierOptions extends JwksCacheOptions {
  /** The service's `TESSERA_ISSUER`; default `tessera`. */
  issuer?: string;
  /** How far in the future a token's `iat` may be (issuer's and verifier's clocks differ); default 30 s. */
  clockSkewSeconds?: number;
  /** A JWKS cache to share between verifiers; made from the options otherwise. */
  jwks?: JwksCache;
}

/** What an offline check proves: who the FixedTtl token was issued to, and until when it holds. */
export interface OfflineVerifiedToken {
  valid: true;
  tokenId: string;
  userId: string;
  ecosystemId: string;
  expiryType: 'FixedTtl';
  issuedAt: string;
  expiresAt: string;
  claims: JsonObject;
}

const encoder = new TextEncoder();
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/**
 * Checks FixedTtl tokens against the service's JWKS, keys cached by kid. It cannot see a revocation made
 * since the token was issued: where that matters, verify with the service.
 *
 * @example
 * const verifier = new OfflineVerifier({ jwksUrl: 'https://tokens.example.com/.well-known/jwks.json' });
 * const { userId, ecosystemId } = await verifier.verify(token); // throws TesseraClientError when refused
 */
export class OfflineVerifier {
  readonly #jwks: JwksCache;
  readonly #issuer: string;
  readonly #skew: number;
  readonly #now: () => number;

  constructor(options: OfflineVerifierOptions) {
    this.#jwks = options.jwks ?? new JwksCache(options);
    this.#issuer = options.issuer ?? 'tessera';
    this.#skew = options.clockSkewSeconds ?? 30;
    this.#now = options.now ?? Date.now;
  }

  async verify(token: string): Promise<OfflineVerifiedToken> {
    const inspected = inspectToken(token);
    if (inspected.expiryType !== 'FixedTtl') {
      throw new TesseraClientError(
        'OFFLINE_VERIFY_UNSUPPORTED',
        `A ${inspected.expiryType} token cannot be checked offline: its validity lives in the service. Verify it with POST /v1/tokens/verify.`,
      );
    }
    const key = await this.#jwks.getKey(inspected.kid);
    if (key === undefined) {
      throw new TesseraClientError(
        'TOKEN_STRUCTURE_INVALID',
        'The token is not a well-formed Tessera token: it is signed with a key the JWKS does not hold.',
        { status: 401 },
      );
    }
    const { header, payload, signature } = inspected.parts;
    const bytes = Buffer.from(signature, 'base64url');
    const authentic =
      bytes.length === 64 &&
      verify('sha256', encoder.encode(`${header}.${payload}`), { key, dsaEncoding: 'ieee-p1363' }, bytes);
    if (!authentic) {
      throw new TesseraClientError('TOKEN_SIGNATURE_INVALID', 'The token signature does not verify.', {
        status: 401,
      });
    }
    if (inspected.issuer !== this.#issuer) {
      throw new TesseraClientError(
        'TOKEN_STRUCTURE_INVALID',
        'The token is not a well-formed Tessera token: it was issued by another service.',
        { status: 401 },
      );
    }
    // As the service: neither iat nor an nbf (only a key holder can set one) may lie beyond the skew.
    const notBefore = Math.max(inspected.issuedAt, Number(inspected.claims.nbf ?? 0));
    if (!(notBefore <= Math.floor(this.#now() / 1000) + this.#skew)) {
      throw new TesseraClientError(
        'TOKEN_NOT_YET_VALID',
        'The token was issued in the future; check the clocks.',
        { status: 401 },
      );
    }
    assertBeforeDeadline(inspected, { now: this.#now });
    return {
      valid: true,
      tokenId: inspected.tokenId,
      userId: inspected.userId,
      ecosystemId: inspected.ecosystemId,
      expiryType: 'FixedTtl',
      issuedAt: iso(inspected.issuedAt),
      expiresAt: iso(inspected.expiresAt ?? 0),
      claims: inspected.claims,
    };
  }
}
