// The refresh function: POST /v1/tokens/refresh rotates the presented token to a successor.
import type { Logger } from '@aws-lambda-powertools/logger';
import { refreshToken } from '../core/refresh-token.ts';
import { createHttpFunction, type DepsSource, json } from '../http/http-function.ts';
import { presentedToken } from '../http/request.ts';
import { buildDependencies } from '../runtime/dependencies.ts';

export function createHandler(deps: DepsSource = buildDependencies, logger?: Logger) {
  return createHttpFunction(
    'refresh',
    { refreshToken: async (request, d) => json(200, await refreshToken(d, presentedToken(request))) },
    deps,
    logger,
  );
}

export const handler = createHandler();
