// Adds the CORS headers to every HTTP answer (errors included) for a request from an allowed origin, so a
// browser script may read it; functions/http/cors.ts decides. OPTIONS answers carry their own.
import { CORS_DEFAULT_ALLOW_ORIGINS, corsHeaders as headersFor } from '../cors.ts';
import type { FrontDoorMiddleware, FrontDoorRequest, HttpResult } from './state.ts';

function addHeaders<D extends { corsAllowOrigins?: readonly string[] }>(request: FrontDoorRequest<D>): void {
  const { input, deps } = request.internal;
  if (input === undefined || input.method === 'OPTIONS') return;
  const result = request.response as HttpResult;
  const origins = deps?.corsAllowOrigins ?? CORS_DEFAULT_ALLOW_ORIGINS;
  result.headers = { ...result.headers, ...headersFor(origins, input.headers.origin) };
}

/**
 * @example
 * middy(handler).use(corsHeaders());
 */
export function corsHeaders<D extends { corsAllowOrigins?: readonly string[] }>(): FrontDoorMiddleware<D> {
  return { after: addHeaders<D>, onError: addHeaders<D> };
}
