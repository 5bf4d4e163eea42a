// The local server as API Gateway: /v1/me behind the authorizer, and /openapi.json describing exactly the
// routes of the API it serves (all but the console's static files).
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../../functions/http/routes.ts';
import { frozenClock } from '../../helpers/clock.ts';
import { useSeededServer, useTestServer } from '../../helpers/use-test-server.ts';

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;

describe('GET /v1/me on the local server', () => {
  const clock = frozenClock();
  const { server, seed } = useSeededServer({ clock });
  const issue = async (query: string) => {
    const path = `/v1/ecosystems/${seed.ecosystemId}/users/alice/tokens?${query}`;
    const answer = await server.call('POST', path, {
      bearer: seed.serverToken,
      body: { claims: { role: 'x' } },
    });
    return answer.body as { token: string; tokenId: string };
  };

  it('answers the user behind a valid bearer token, after the authorizer let it through', async () => {
    const { token, tokenId } = await issue('expiryType=FixedTtl&ttl=600');
    const me = await server.call('GET', '/v1/me', { bearer: token });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      userId: 'alice',
      ecosystemId: seed.ecosystemId,
      tokenId,
      expiryType: 'FixedTtl',
      claims: { role: 'x' },
    });
  });

  // As API Gateway answers on an HTTP API (API.md v1.1): its own bodies, not the error envelope.
  it('answers 401 {"message":"Unauthorized"} without an Authorization header, as API Gateway does', async () => {
    const me = await server.call('GET', '/v1/me');
    expect(me.status).toBe(401);
    expect(me.body).toEqual({ message: 'Unauthorized' });
  });

  it('answers 403 {"message":"Forbidden"} to a bad token or a server token the authorizer refuses', async () => {
    for (const bearer of ['garbage', seed.serverToken]) {
      const me = await server.call('GET', '/v1/me', { bearer });
      expect(me.status).toBe(403);
      expect(me.body).toEqual({ message: 'Forbidden' });
    }
  });

  it('refuses a token on the first call after its revocation', async () => {
    const { token } = await issue('expiryType=Infinite');
    expect((await server.call('GET', '/v1/me', { bearer: token })).status).toBe(200);
    expect((await server.call('POST', '/v1/tokens/revoke', { body: { token } })).status).toBe(204);
    expect((await server.call('GET', '/v1/me', { bearer: token })).status).toBe(403);
  });

  it('keeps a SlidingTtl token alive through its uses of /v1/me', async () => {
    const { token } = await issue('expiryType=SlidingTtl&ttl=60');
    for (let call = 0; call < 3; call += 1) {
      clock.advance(45);
      expect((await server.call('GET', '/v1/me', { bearer: token })).status).toBe(200);
    }
    clock.advance(61);
    expect((await server.call('GET', '/v1/me', { bearer: token })).status).toBe(403);
  });
});

describe('GET /openapi.json on the local server', () => {
  const server = useTestServer();
  // biome-ignore lint/suspicious/noExplicitAny: the document is arbitrary JSON
  let doc: any;

  beforeAll(async () => {
    const answer = await server.call('GET', '/openapi.json');
    expect(answer.status).toBe(200);
    doc = answer.body;
  });

  it('is an OpenAPI 3.1 document with every route of the API and no other path', () => {
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths as Record<string, object>).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const api = ROUTES.filter((r) => !('internal' in r));
    expect(documented.sort()).toEqual(api.map((r) => `${r.method} ${r.path}`).sort());
  });

  it("serves the console's files, and leaves exactly them out of the document", async () => {
    const internal = ROUTES.filter((r) => 'internal' in r);
    expect(internal.map((r) => r.path)).toEqual([
      '/console',
      '/console/',
      '/console/index.html',
      '/console/console.css',
      '/console/console.js',
    ]);
    for (const route of internal) {
      // fetch follows the 301 of '/console' to '/console/'.
      const answer = await server.call(route.method, route.path);
      expect({ path: route.path, status: answer.status }).toEqual({ path: route.path, status: 200 });
      expect(doc.paths[route.path]).toBeUndefined();
    }
  });

  it('documents only what the server serves: each operation is routed, every other method is 405', async () => {
    for (const [template, item] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      const path = template.replace(/\{([a-zA-Z]+)\}/g, (_, name: string) => `sample-${name}`);
      for (const method of METHODS) {
        const answer = await server.call(method, path);
        const code = answer.body?.error?.code;
        const served = code !== 'ROUTE_NOT_FOUND' && code !== 'METHOD_NOT_ALLOWED';
        expect({ method, template, served }).toEqual({
          method,
          template,
          served: method.toLowerCase() in item,
        });
      }
    }
  });

  it('names the path parameters of each templated path, and the query fields each route accepts', () => {
    const compat = doc.paths['/api/users/{ecosystemId};{userId}/tokens'].post;
    const names = compat.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`);
    expect(names).toEqual([
      'path:ecosystemId',
      'path:userId',
      'query:expiryType',
      'query:ttl',
      'query:maxTtl',
    ]);
    expect(doc.paths['/v1/me'].get.security).toEqual([{ userToken: [] }]);
  });
});
