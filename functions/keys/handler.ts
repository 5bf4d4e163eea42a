// The keys function: GET /.well-known/jwks.json and GET /openapi.json, both cacheable by clients for five
// minutes; a direct event `{}` answers the JWKS.
import type { Logger } from '@aws-lambda-powertools/logger';
import { publishKeys } from '../core/keys.ts';
import { createHttpFunction, type DepsSource, json } from '../http/http-function.ts';
import { emfMetrics, type TokenMetrics } from '../http/metrics.ts';
import { openApiDocument } from '../http/openapi.ts';
import { buildDependencies } from '../runtime/dependencies.ts';

export const JWKS_MAX_AGE_SECONDS = 300;
const CACHEABLE = { 'cache-control': `public, max-age=${JWKS_MAX_AGE_SECONDS}` };

/**
 * The keys handler with the given dependencies (tests and the local server inject theirs).
 *
 * @example
 * const handler = createHandler(deps);
 * await handler({}); // { keys: [{ kty: 'EC', crv: 'P-256', kid, … }] }
 */
export function createHandler(deps: DepsSource = buildDependencies, logger?: Logger, metrics?: TokenMetrics) {
  return createHttpFunction(
    'keys',
    {
      jwks: async (_request, d) => json(200, await publishKeys(d), CACHEABLE),
      openapi: async () => json(200, openApiDocument(), CACHEABLE),
    },
    deps,
    { logger, metrics, direct: { members: [], run: (_event, d) => publishKeys(d) } },
  );
}

export const handler = createHandler(buildDependencies, undefined, emfMetrics());
