// Puts an HTTP answer in the shape of the event it answers: API Gateway HTTP API (payload 2.0) or REST API
// (payload 1.0), with the JSON headers every answer carries; a HEAD answer is the GET answer without its
// body (RFC 9110 §9.3.2). Direct invocations are answered as they are.
import { type FrontDoorMiddleware, type FrontDoorRequest, type HttpResult, isHttp } from './state.ts';

const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

/**
 * An HTTP answer in the event's shape.
 *
 * @example
 * httpResponse({ status: 204 }, 'http-v2'); // { statusCode: 204, headers: { … }, body: '' }
 */
export function httpResponse(result: HttpResult, kind: 'http-v2' | 'rest-v1', head = false) {
  const body = result.text ?? (result.body === undefined ? '' : JSON.stringify(result.body));
  const response = {
    statusCode: result.status,
    headers: { ...JSON_HEADERS, ...result.headers },
    body: head ? '' : body,
  };
  return kind === 'rest-v1' ? { ...response, isBase64Encoded: false } : response;
}

function shape<D>(request: FrontDoorRequest<D>): void {
  const state = request.internal;
  if (!isHttp(state.kind)) {
    state.status ??= 200;
    return;
  }
  const result = request.response as HttpResult;
  state.status = result.status;
  request.response = httpResponse(result, state.kind, state.input?.method === 'HEAD');
}

/**
 * @example
 * middy(handler).use(httpAnswer());
 */
export function httpAnswer<D>(): FrontDoorMiddleware<D> {
  return { after: shape<D>, onError: shape<D> };
}
