// One structured log line per invocation: which function, what kind of call, which route, how it ended and
// how long it took, with the token count as EMF members when there is one (token-metrics.ts), written by
// functions/http/log-line.ts. It never holds a header, a body or a parameter, so never a token or a secret.
import type { Logger } from '@aws-lambda-powertools/logger';
import { latencySince, RequestLog } from '../log-line.ts';
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
  const log = new RequestLog(options.logger);
  const write = (request: FrontDoorRequest<D>) => {
    const { kind, input, routeId, status, code, started, emf } = request.internal;
    const latencyMs = latencySince(started);
    const fn = options.name;
    const fields =
      input === undefined
        ? { function: fn, kind: 'direct', status, code, latencyMs }
        : { function: fn, kind, method: input.method, route: routeId, status, code, latencyMs };
    log.write('request', request.context, fields, emf);
  };
  return { after: write, onError: write };
}
