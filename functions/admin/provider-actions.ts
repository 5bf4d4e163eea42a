// The admin function's provider routes (routes-providers.ts): each the call of its use-case in
// core/providers.ts. The admin function seals provider secrets on PUT; only the exchange function opens them.
import * as providers from '../core/providers.ts';
import { type Action, json } from '../http/http-function.ts';

type ProviderRouteId = 'putProvider' | 'getProvider' | 'listProviders' | 'deleteProvider';

const ref = (params: Record<string, string>) => ({
  ecosystemId: params.ecosystemId ?? '',
  providerId: params.providerId ?? '',
});

export const providerActions: Readonly<Record<ProviderRouteId, Action>> = {
  putProvider: async ({ params, body }, deps) => {
    const { created, provider } = await providers.putProvider(deps, { ...ref(params), body });
    return json(created ? 201 : 200, provider);
  },
  getProvider: async ({ params }, deps) => json(200, await providers.getProvider(deps, ref(params))),
  listProviders: async ({ params }, deps) =>
    json(200, await providers.listProviders(deps, params.ecosystemId ?? '')),
  deleteProvider: async ({ params }, deps) => {
    await providers.deleteProvider(deps, ref(params));
    return { status: 204 };
  },
};
