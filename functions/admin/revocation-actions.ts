// The admin function's wider revocations (routes-revocations.ts): an ecosystem's revocations by issue time
// (core/revocations.ts) and revoke-others (core/revoke-others.ts), each the call of its use-case.
import * as revocations from '../core/revocations.ts';
import { revokeOtherTokens } from '../core/revoke-others.ts';
import { type Action, json } from '../http/http-function.ts';
import { presentedToken } from '../http/request.ts';
import type { RouteIdOf } from '../http/routes.ts';

type RevocationRouteId = Extract<
  RouteIdOf<'admin'>,
  'createRevocation' | 'listRevocations' | 'deleteRevocation' | 'revokeOtherTokens'
>;

const eco = (params: Record<string, string>) => params.ecosystemId ?? '';

export const revocationActions: Readonly<Record<RevocationRouteId, Action>> = {
  createRevocation: async ({ params, body }, deps) =>
    json(201, await revocations.createRevocation(deps, eco(params), body)),
  listRevocations: async ({ params }, deps) =>
    json(200, await revocations.listRevocations(deps, eco(params))),
  deleteRevocation: async ({ params }, deps) => {
    await revocations.deleteRevocation(deps, eco(params), params.revocationId ?? '');
    return { status: 204 };
  },
  revokeOtherTokens: async (request, deps) =>
    json(200, await revokeOtherTokens(deps, presentedToken(request))),
};
