// The keys function: GET /.well-known/jwks.json, cacheable by clients for five minutes.
import type { Logger } from '@aws-lambda-powertools/logger';
import { publishKeys } from '../core/keys.ts';
import { createHttpFunction, type DepsSource, json } from '../http/http-function.ts';
import { buildDependencies } from '../runtime/dependencies.ts';

export const JWKS_MAX_AGE_SECONDS = 300;

export function createHandler(deps: DepsSource = buildDependencies, logger?: Logger) {
  return createHttpFunction(
    'keys',
    {
      jwks: async (_request, d) =>
        json(200, await publishKeys(d), { 'cache-control': `public, max-age=${JWKS_MAX_AGE_SECONDS}` }),
    },
    deps,
    logger,
  );
}

export const handler = createHandler();
