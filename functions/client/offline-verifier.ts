// Verifying a FixedTtl token with the JWKS alone, no call to Tessera: the service's own reader
// (core/token-reader.ts) over the JWKS and WebCrypto's ES256 check, then the service's iat, nbf and exp
// rules. Revocation is not seen offline; a model the JWKS cannot judge (SlidingTtl, Infinite) is refused.
import type { CryptoKey } from 'jose';
import { EXPIRY_MODELS } from '../core/expiry-models.ts';
import {
  assertAudience,
  assertBeforeExp,
  assertIssuedBefore,
  CLAIM_ECOSYSTEM,
  CLAIM_EXPIRY_TYPE,
} from '../core/token-claims.ts';
import { readToken, readUnverifiedToken, type SignatureVerifier } from '../core/token-reader.ts';
import { asClientRefusal, TesseraClientError } from './client-error.ts';
import { JwksCache, type JwksCacheOptions } from './jwks-cache.ts';
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
  /** The token's audiences (its `aud`), or null. */
  audience: string[] | null;
}

const ECDSA_P256_SHA256 = { name: 'ECDSA', hash: 'SHA-256' } as const;
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/** The JWKS's keys, checked with WebCrypto (64-byte r‖s is WebCrypto's own ECDSA signature format). */
function webCryptoVerifier(jwks: JwksCache): SignatureVerifier<CryptoKey> {
  return {
    keyFor: (kid) => jwks.getKey(kid),
    verify: (key, signingInput, signature) =>
      crypto.subtle.verify(ECDSA_P256_SHA256, key, signature, signingInput).catch(() => false),
    unknownKey: 'the JWKS does not hold',
  };
}

/**
 * Checks FixedTtl tokens against the service's JWKS, keys cached by kid. It cannot see a revocation made
 * since the token was issued: where that matters, verify with the service.
 *
 * @example
 * const verifier = new OfflineVerifier({ jwksUrl: 'https://tokens.example.com/.well-known/jwks.json' });
 * const { userId, ecosystemId } = await verifier.verify(token); // throws TesseraClientError when refused
 */
export class OfflineVerifier {
  readonly #verifier: SignatureVerifier<CryptoKey>;
  readonly #issuer: string;
  readonly #skew: number;
  readonly #now: () => number;

  constructor(options: OfflineVerifierOptions) {
    this.#verifier = webCryptoVerifier(options.jwks ?? new JwksCache(options));
    this.#issuer = options.issuer ?? 'tessera';
    this.#skew = options.clockSkewSeconds ?? 30;
    this.#now = options.now ?? Date.now;
  }

  /** With `options.audience`, the token must carry it too (`TOKEN_AUDIENCE_INVALID`), as verify checks it. */
  async verify(token: string, options: { audience?: string } = {}): Promise<OfflineVerifiedToken> {
    // The model first, from the token alone: one the JWKS cannot judge costs no fetch.
    const type = asClientRefusal(() => readUnverifiedToken(token)).claims[CLAIM_EXPIRY_TYPE];
    if (!EXPIRY_MODELS[type].checkableOffline) {
      throw new TesseraClientError(
        'OFFLINE_VERIFY_UNSUPPORTED',
        `A ${type} token cannot be checked offline: its validity lives in the service. Verify it with POST /v1/tokens/verify.`,
      );
    }
    const decoded = await asClientRefusal(() => readToken(token, this.#verifier, this.#issuer));
    const { claims } = decoded;
    const now = Math.floor(this.#now() / 1000);
    asClientRefusal(() => {
      assertIssuedBefore(decoded, now, this.#skew);
      assertBeforeExp(claims, now);
      assertAudience(claims, options.audience);
    });
    return {
      valid: true,
      tokenId: claims.jti,
      userId: claims.sub,
      ecosystemId: claims[CLAIM_ECOSYSTEM],
      // The type names today's one offline model; a new one would widen it, the value follows the token.
      expiryType: type as OfflineVerifiedToken['expiryType'],
      issuedAt: iso(claims.iat),
      expiresAt: iso(claims.exp ?? 0),
      claims: decoded.extraClaims,
      audience: claims.aud ?? null,
    };
  }
}
