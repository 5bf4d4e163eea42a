// The JWKS: every public key a still-valid token may be signed with.
import type { Deps } from './deps.ts';
import type { PublicJwk } from './ports.ts';

export async function publishKeys(deps: Pick<Deps, 'signer'>): Promise<{ keys: PublicJwk[] }> {
  return { keys: await deps.signer.publicKeys() };
}
