// The token calls the HTTP tests make again and again, bound to one server: issue for a user, verify,
// refresh, and the check that a token is refused as revoked by both.
import type { CallResult, TestServer } from '../../helpers/server.ts';
import { expectError } from './expect-error.ts';

export interface IssuedToken {
  token: string;
  tokenId: string;
  expiresAt: string;
  absoluteExpiresAt: string | null;
}

export interface TokenCalls {
  /** Issues a token for the user at `userPath` (`/v1/ecosystems/{id}/users/{id}`); throws unless 200. */
  issue(userPath: string, bearer: string, query?: string, body?: unknown): Promise<IssuedToken>;
  verify(token: unknown): Promise<CallResult>;
  refresh(token: unknown): Promise<CallResult>;
  /** Expects verify and then refresh to answer 401 TOKEN_REVOKED, the token never echoed. */
  expectRevoked(token: string): Promise<void>;
}

/**
 * The token calls of `server` (a running one, or useTestServer's stand-in).
 *
 * @example
 * const { issue, verify, expectRevoked } = tokenCalls(server);
 * const { token } = await issue(`/v1/ecosystems/${seed.ecosystemId}/users/alice`, seed.serverToken, '?expiryType=Infinite');
 */
export function tokenCalls(server: TestServer): TokenCalls {
  const verify = (token: unknown) => server.call('POST', '/v1/tokens/verify', { body: { token } });
  const refresh = (token: unknown) => server.call('POST', '/v1/tokens/refresh', { body: { token } });
  return {
    async issue(userPath, bearer, query = '', body) {
      const result = await server.call('POST', `${userPath}/tokens${query}`, { bearer, body });
      if (result.status !== 200) throw new Error(`issue failed: ${result.text}`);
      return result.body;
    },
    verify,
    refresh,
    async expectRevoked(token) {
      expectError(await verify(token), 401, 'TOKEN_REVOKED', [token]);
      expectError(await refresh(token), 401, 'TOKEN_REVOKED', [token]);
    },
  };
}
