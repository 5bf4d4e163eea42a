// The check the declaration tests run on every answer of the local server: a status the route declares an
// answer for carries exactly that schema's body; any other is the error envelope with a code the route
// declares, at that code's status. It also records what each route was seen to answer.
import { request } from 'node:http';
import * as v from 'valibot';
import { expect } from 'vitest';
import { errorCodesOf, type Route } from '../../../functions/http/route-definition.ts';
import { matchRoute } from '../../../functions/http/routes.ts';
import { ANSWERS, errorAnswer } from '../../../functions/http/schemas.ts';
import { STATUS_OF } from '../../../functions/http/status.ts';
import type { CallOptions, CallResult, TestServer } from '../../helpers/server.ts';

export interface Seen {
  /** `routeId status` of every declared answer seen. */
  answers: Set<string>;
  /** `routeId CODE` of every refusal seen. */
  refusals: Set<string>;
}

/** What a status's answer must look like for this route; a message naming the route when it does not. */
export function checkAnswer(route: Route, result: CallResult, seen: Seen): void {
  const where = `${route.id} answered ${result.status}: ${result.text.slice(0, 200)}`;
  const declared = route.answers[result.status];
  // A status may be both declared and a refusal's (/v1/me: API Gateway's 401, or the function's own).
  const refusal = typeof result.body === 'object' && result.body !== null && 'error' in result.body;
  if (declared !== undefined && !refusal) {
    seen.answers.add(`${route.id} ${result.status}`);
    if (declared === null) return;
    const parsed = v.safeParse(ANSWERS[declared], result.body);
    expect(
      parsed.issues?.map((issue) => v.getDotPath(issue) ?? issue.message),
      where,
    ).toBeUndefined();
    // valibot leaves out members its schema does not name: equal means the answer holds nothing more.
    expect(parsed.output, where).toEqual(result.body);
    return;
  }
  const codes = errorCodesOf(route);
  expect(v.is(errorAnswer(codes), result.body), `${where} (declared: ${codes.join(', ')})`).toBe(true);
  const code = result.body.error.code as keyof typeof STATUS_OF;
  expect(result.status, where).toBe(STATUS_OF[code]);
  seen.refusals.add(`${route.id} ${code}`);
}

/**
 * A request fetch refuses to send (a body on GET or HEAD), sent with node:http as any client could.
 *
 * @example
 * const answer = await rawCall(server.url, 'GET', '/v1/ecosystems', { bearer, body: '{}' });
 */
export function rawCall(
  url: string,
  method: string,
  path: string,
  options: CallOptions,
): Promise<CallResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.bearer !== undefined) headers.authorization = `Bearer ${options.bearer}`;
  const body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  headers['content-length'] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const sent = request(`${url}${path}`, { method, headers }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const pairs = Object.entries(answer.headers).map(
          ([k, value]) => [k, String(value)] as [string, string],
        );
        resolve({
          status: answer.statusCode ?? 0,
          headers: new Headers(pairs),
          body: JSON.parse(text),
          text,
        });
      });
    });
    sent.on('error', reject);
    sent.end(body);
  });
}

/**
 * A caller of `server` that checks each answer against the declaration of the route it reached.
 *
 * @example
 * const call = checkedCaller(server, seen);
 * await call('GET', '/.well-known/jwks.json');
 */
export function checkedCaller(server: TestServer, seen: Seen) {
  return async (method: string, path: string, options: CallOptions = {}): Promise<CallResult> => {
    const bodyOnGet = options.body !== undefined && (method === 'GET' || method === 'HEAD');
    const result = bodyOnGet
      ? await rawCall(server.url, method, path, options)
      : await server.call(method, path, options);
    const { route } = matchRoute(method, path.split('?')[0] ?? path);
    checkAnswer(route, result, seen);
    return result;
  };
}
