// The token exchange (POST /v1/tokens/exchange, the exchange function): a Tessera user token in, the token
// of one of its ecosystem's providers out, for the same user. The user token is checked by verifyToken
// itself, so an exchange is a use with every rule of verify (revocation, rotation, deletion, sliding use,
// the audience when one is asked for, usage counting); only then is the provider read, its secret opened
// and the provider token minted.
import { epochSeconds, isoFromSeconds } from './clock.ts';
import type { Deps } from './deps.ts';
import { TesseraError } from './errors.ts';
import { isValidId } from './ids.ts';
import { mintProviderToken } from './provider-tokens.ts';
import { providerNotFound } from './providers.ts';
import { type ProviderType, providerIdInvalid } from './providers-model.ts';
import { type TokenCheckDeps, verifyToken } from './verify-token.ts';

export interface ExchangedToken {
  /** The provider's token: not a Tessera token (verify refuses it), checked by the provider. */
  token: string;
  provider: string;
  type: ProviderType;
  /** The provider token's `exp`, or null when it has none (a Stream provider without ttl). */
  expiresAt: string | null;
}

/** What an exchange reads: what verify reads, the providers, and the box that opens their secrets. */
export type ExchangeDeps = TokenCheckDeps & Pick<Deps, 'usage' | 'providers' | 'secretBox'>;

/**
 * Verifies the user token (a use; with `audience`, as verify checks it), then mints the named provider's
 * token for its user.
 *
 * @example
 * const { token, expiresAt } = await exchangeToken(deps, { token: userToken, provider: 'chat' });
 */
export async function exchangeToken(
  deps: ExchangeDeps,
  input: { token: unknown; provider: unknown; audience?: unknown },
): Promise<ExchangedToken> {
  const providerId = input.provider;
  if (typeof providerId !== 'string') {
    throw new TesseraError('BODY_INVALID', 'Name the provider as {"provider": "<providerId>"}.');
  }
  if (!isValidId(providerId)) throw providerIdInvalid('provider');
  const verified = await verifyToken(deps, input.token, { audience: input.audience });
  const { ecosystemId, userId } = verified;
  const record = await deps.providers.getProvider(ecosystemId, providerId);
  if (record === undefined) throw providerNotFound(providerId);
  const secret = await deps.secretBox.open(record.sealedSecret, { ecosystemId, providerId });
  const now = epochSeconds(deps.clock.now());
  const minted = mintProviderToken(record.settings, { userId, now, secret });
  return {
    token: minted.token,
    provider: providerId,
    type: record.settings.type,
    expiresAt: isoFromSeconds(minted.expiresAt),
  };
}
