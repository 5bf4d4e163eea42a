// One structured log line per invocation: which function, what kind of call, which route, how it ended and
// how long it took. It never holds a header, a body or a parameter, so never a token or a secret.
import type { Logger } from '@aws-lambda-powertools/logger';
import type { FunctionName } from '../routes.ts';
import type { FrontDoorMiddleware, FrontDoorRequest } from './state.ts';

export interface RequestLogOptions {
  logger: Logger;
  name: FunctionName;
}

/**
 * @example
 * middy(handler).use(requestLog({ logger, name: 'verify' }));
 */
export function requestLog<D>(options: RequestLogOptions): FrontDoorMiddleware<D> {
  const write = (request: FrontDoorRequest<D>) => {
    const { kind, input, routeId, status, code, started } = request.internal;
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    const http = input === undefined ? { kind: 'direct' } : { kind, method: input.method, route: routeId };
    options.logger.info('request', { function: options.name, ...http, status, code, latencyMs });
  };
  return { after: write, onError: write };
}
