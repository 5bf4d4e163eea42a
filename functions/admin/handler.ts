// The admin function: ecosystems, server tokens, users, their live tokens, usage, token providers
// (provider-actions.ts), the revoke routes, and the wider revocations (revocation-actions.ts) (HTTP only).
import type { Logger } from '@aws-lambda-powertools/logger';
import * as ecosystems from '../core/ecosystems.ts';
import { revokeAllUserTokens, revokePresentedToken, revokeTokenById } from '../core/revoke-token.ts';
import { getUsage } from '../core/usage-report.ts';
import * as users from '../core/users.ts';
import { type Action, createHttpFunction, type DepsSource, json } from '../http/http-function.ts';
import { emfMetrics, type TokenMetrics } from '../http/metrics.ts';
import { presentedToken } from '../http/request.ts';
import type { RouteIdOf } from '../http/routes.ts';
import { atColdStart } from '../runtime/cold-start.ts';
import { buildDependencies } from '../runtime/dependencies.ts';
import { providerActions } from './provider-actions.ts';
import { revocationActions } from './revocation-actions.ts';

const NO_CONTENT = { status: 204 } as const;
const eco = (params: Record<string, string>) => params.ecosystemId ?? '';
const user = (params: Record<string, string>) => ({ ecosystemId: eco(params), userId: params.userId ?? '' });

export const adminActions: Readonly<Record<RouteIdOf<'admin'>, Action>> = {
  createEcosystem: async ({ body }, deps) => json(201, await ecosystems.createEcosystem(deps, body)),
  listEcosystems: async (_request, deps) => json(200, await ecosystems.listEcosystems(deps)),
  getEcosystem: async ({ params }, deps) => json(200, await ecosystems.getEcosystem(deps, eco(params))),
  deleteEcosystem: async ({ params }, deps) => {
    await ecosystems.deleteEcosystem(deps, eco(params));
    return NO_CONTENT;
  },
  createServerToken: async ({ params }, deps) =>
    json(201, await ecosystems.createServerToken(deps, eco(params))),
  listServerTokens: async ({ params }, deps) =>
    json(200, await ecosystems.listServerTokens(deps, eco(params))),
  deleteServerToken: async ({ params }, deps) => {
    await ecosystems.deleteServerToken(deps, eco(params), params.serverTokenId ?? '');
    return NO_CONTENT;
  },
  createUser: async ({ params, body }, deps) =>
    json(201, await users.createUser(deps, { ecosystemId: eco(params), metadata: body.metadata })),
  putUser: async ({ params, body }, deps) => {
    const { created, user: view } = await users.putUser(deps, { ...user(params), metadata: body.metadata });
    return json(created ? 201 : 200, view);
  },
  getUser: async ({ params }, deps) => json(200, await users.getUser(deps, user(params))),
  deleteUser: async ({ params }, deps) => {
    await users.deleteUser(deps, user(params));
    return NO_CONTENT;
  },
  listUserTokens: async ({ params }, deps) => json(200, await users.listUserTokens(deps, user(params))),
  getUsage: async ({ params, query }, deps) =>
    json(200, await getUsage(deps, eco(params), { from: query.from, to: query.to })),
  revokeUserTokens: async ({ params }, deps) => {
    await revokeAllUserTokens(deps, user(params));
    return NO_CONTENT;
  },
  revokeTokenById: async ({ params }, deps) => {
    await revokeTokenById(deps, { ...user(params), tokenId: params.tokenId ?? '' });
    return NO_CONTENT;
  },
  revokeToken: async (request, deps) => {
    await revokePresentedToken(deps, presentedToken(request));
    return NO_CONTENT;
  },
  ...providerActions,
  ...revocationActions,
};

/**
 * The admin handler with the given dependencies (tests and the local server inject theirs). It serves
 * HTTP only: a direct event is answered with ROUTE_NOT_FOUND.
 *
 * @example
 * const handler = createHandler(deps);
 */
export function createHandler(deps: DepsSource = buildDependencies, logger?: Logger, metrics?: TokenMetrics) {
  return createHttpFunction('admin', adminActions, deps, { logger, metrics });
}

export const handler = createHandler(atColdStart(buildDependencies), undefined, emfMetrics());
