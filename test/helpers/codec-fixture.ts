// What a token-codec test starts from: a fresh local signer, its key ring, our header and valid claims.
import { LocalSigner } from '../../functions/adapters/local-signer.ts';
import { KeyRing } from '../../functions/core/token-codec.ts';
import { ourHeader } from './forge.ts';

/** The issuer every fixture token names. */
export const ISSUER = 'tessera';

/**
 * A fresh signer and its KeyRing, the header Tessera writes, and the claims of a FixedTtl token of alice
 * in eco1 (one hour from 1_800_000_000), so a test breaks exactly one rule of them.
 *
 * @example
 * const { signer, keys, header, claims } = await codecFixture();
 * const token = await forgeToken(signer, header, { ...claims, 'tsr:ttl': -1 });
 */
export async function codecFixture() {
  const signer = await LocalSigner.fromKey();
  const keys = new KeyRing(signer);
  const header = await ourHeader(signer);
  const claims = {
    iss: ISSUER,
    sub: 'alice',
    jti: 't1',
    iat: 1_800_000_000,
    exp: 1_800_003_600,
    'tsr:eco': 'eco1',
    'tsr:expiry': 'FixedTtl',
    'tsr:ttl': 3600,
  };
  return { signer, keys, header, claims };
}
