// The two routes the typed client has no method for, called the way it calls fetch (bearer, JSON, a
// 10 s timeout, its errors): GET /v1/me, the example route behind the Lambda authorizer, with a user
// token as the bearer; and GET /openapi.json.
import { errorFromAnswer, TesseraClientError } from '../client/client-error.ts';
import { parseRetryAfter } from '../client/http-client.ts';
import type { JsonObject } from '../client/types.ts';

/** `GET /v1/me`: who the authorizer let through. */
export interface MeAnswer {
  userId: string;
  ecosystemId: string;
  tokenId: string;
  expiryType: string;
  claims: JsonObject;
}

const TIMEOUT_MS = 10_000;

async function getJson<T>(baseUrl: string, path: string, fetcher: typeof fetch, bearer?: string): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (bearer !== undefined) headers.authorization = `Bearer ${bearer}`;
  let response: Response;
  let text: string;
  try {
    response = await fetcher(baseUrl + path, { headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
    text = await response.text();
  } catch (err) {
    const why =
      err instanceof Error && err.name === 'TimeoutError'
        ? `did not answer within ${TIMEOUT_MS} ms`
        : 'could not be reached';
    throw new TesseraClientError('NETWORK_ERROR', `Tessera at ${baseUrl} ${why}.`, { cause: err });
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    throw errorFromAnswer(response.status, body, parseRetryAfter(response.headers.get('retry-after')));
  }
  if (typeof body !== 'object' || body === null) throw errorFromAnswer(response.status, undefined);
  return body as T;
}

/**
 * `GET /v1/me` with the user token as the bearer.
 *
 * @example
 * const { userId } = await getMe('http://127.0.0.1:3000', token);
 */
export function getMe(baseUrl: string, token: string, fetcher: typeof fetch = fetch): Promise<MeAnswer> {
  return getJson(baseUrl, '/v1/me', fetcher, token);
}

/**
 * `GET /openapi.json`: the OpenAPI document of every route.
 *
 * @example
 * const { paths } = await getOpenApi('http://127.0.0.1:3000');
 */
export function getOpenApi(baseUrl: string, fetcher: typeof fetch = fetch): Promise<JsonObject> {
  return getJson(baseUrl, '/openapi.json', fetcher);
}
