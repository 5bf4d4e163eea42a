// The verify function: POST /v1/tokens/verify, the token in the body or as a bearer credential.
import type { Logger } from '@aws-lambda-powertools/logger';
import { verifyToken } from '../core/verify-token.ts';
import { createHttpFunction, type DepsSource, json } from '../http/http-function.ts';
import { presentedToken } from '../http/request.ts';
import { buildDependencies } from '../runtime/dependencies.ts';

export function createHandler(deps: DepsSource = buildDependencies, logger?: Logger) {
  return createHttpFunction(
    'verify',
    { verifyToken: async (request, d) => json(200, await verifyToken(d, presentedToken(request))) },
    deps,
    logger,
  );
}

export const handler = createHandler();
