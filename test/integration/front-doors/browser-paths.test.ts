// What a browser sends, over real HTTP to the local server: the console link without its trailing slash,
// CORS preflights and cross-origin answers from the one CORS definition (functions/http/cors.ts), and HEAD
// on every GET route (API.md v1.1).
import { describe, expect, it } from 'vitest';
import { CORS_ALLOW_METHODS } from '../../../functions/http/cors.ts';
import { ROUTES } from '../../../functions/http/routes.ts';
import { TEST_ACCOUNT_TOKEN } from '../../helpers/deps.ts';
import { useSeededServer, useTestServer } from '../../helpers/use-test-server.ts';

const ORIGIN = 'https://app.example.com';
const PREFLIGHT = {
  origin: ORIGIN,
  'access-control-request-method': 'PUT',
  'access-control-request-headers': 'authorization, content-type',
};

describe('the console link', () => {
  const server = useTestServer();

  it('redirects GET /console to console/, which resolves to /console/ and serves the page', async () => {
    const answer = await fetch(`${server.url}/console`, { redirect: 'manual' });
    expect(answer.status).toBe(301);
    expect(answer.headers.get('location')).toBe('console/');
    expect(new URL('console/', `${server.url}/console`).pathname).toBe('/console/');
    const followed = await fetch(`${server.url}/console`);
    expect(followed.url).toBe(`${server.url}/console/`);
    expect(followed.status).toBe(200);
    expect(followed.headers.get('content-type')).toMatch(/^text\/html/);
  });
});

describe('OPTIONS and CORS with the default origins (any)', () => {
  const { server, seed } = useSeededServer();

  it('answers a preflight on an ecosystem route with 204 and the Access-Control-Allow-* headers, no credential asked', async () => {
    const answer = await server.call('OPTIONS', `/v1/ecosystems/${seed.ecosystemId}/users/alice`, {
      headers: PREFLIGHT,
    });
    expect(answer.status).toBe(204);
    expect(answer.text).toBe('');
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
    expect(answer.headers.get('access-control-allow-methods')?.split(', ')).toEqual([...CORS_ALLOW_METHODS]);
    expect(answer.headers.get('access-control-allow-headers')).toBe('authorization, content-type');
    expect(answer.headers.get('access-control-max-age')).toBe('86400');
    expect(answer.headers.get('allow')?.split(', ').sort()).toEqual(['DELETE', 'GET', 'HEAD', 'PUT']);
  });

  it('answers a preflight on /v1/me without running the authorizer', async () => {
    const answer = await server.call('OPTIONS', '/v1/me', {
      headers: { ...PREFLIGHT, 'access-control-request-method': 'GET' },
    });
    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('answers a plain OPTIONS (no Origin) with 204 and Allow, and no CORS headers', async () => {
    const answer = await server.call('OPTIONS', '/v1/tokens/verify');
    expect(answer.status).toBe(204);
    expect(answer.headers.get('allow')).toBe('POST');
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers OPTIONS on a path of no route with 404 ROUTE_NOT_FOUND', async () => {
    const answer = await server.call('OPTIONS', '/v1/nothing-here', { headers: PREFLIGHT });
    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe('ROUTE_NOT_FOUND');
  });

  it('lets a cross-origin script read answers and errors alike', async () => {
    const ok = await server.call('GET', '/.well-known/jwks.json', { headers: { origin: ORIGIN } });
    const refused = await server.call('GET', '/v1/ecosystems', { headers: { origin: ORIGIN } });
    for (const answer of [ok, refused]) {
      expect(answer.headers.get('access-control-allow-origin')).toBe('*');
      expect(answer.headers.get('access-control-expose-headers')).toBe('retry-after, www-authenticate');
    }
    expect(refused.status).toBe(401);
    const sameOrigin = await server.call('GET', '/.well-known/jwks.json');
    expect(sameOrigin.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('OPTIONS and CORS with TESSERA_CORS_ALLOW_ORIGINS set', () => {
  const listed = useTestServer({
    env: { TESSERA_CORS_ALLOW_ORIGINS: `${ORIGIN},https://admin.example.com` },
  });
  const none = useTestServer({ env: { TESSERA_CORS_ALLOW_ORIGINS: 'none' } });

  it('echoes an allowed origin with Vary: Origin, and gives another origin no Access-Control-Allow-Origin', async () => {
    const allowed = await listed.call('OPTIONS', '/v1/ecosystems', { headers: PREFLIGHT });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(allowed.headers.get('vary')).toBe('origin');
    const other = await listed.call('OPTIONS', '/v1/ecosystems', {
      headers: { ...PREFLIGHT, origin: 'https://evil.example' },
    });
    expect(other.status).toBe(204);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.headers.get('allow')).toBe('POST, GET, HEAD');
    const actual = await listed.call('GET', '/openapi.json', { headers: { origin: 'https://evil.example' } });
    expect(actual.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers preflights with Allow only when cross-origin calls are off ("none")', async () => {
    const answer = await none.call('OPTIONS', '/v1/tokens/verify', { headers: PREFLIGHT });
    expect(answer.status).toBe(204);
    expect(answer.headers.get('allow')).toBe('POST');
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    expect(answer.headers.get('vary')).toBeNull();
  });
});

describe('HEAD', () => {
  const { server, seed } = useSeededServer();
  const concrete = (path: string) =>
    path
      .replace('{ecosystemId}', seed.ecosystemId)
      .replace('{userId}', 'alice')
      .replace('{serverTokenId}', 'none')
      .replace('{tokenId}', 'none');

  it('answers every GET route as GET does, with the same status and headers and no body', async () => {
    const gets = ROUTES.filter((route) => route.method === 'GET' && route.access !== 'user');
    expect(gets.length).toBeGreaterThan(8);
    for (const route of gets) {
      const path = concrete(route.path);
      const options = route.access === 'public' ? {} : { bearer: TEST_ACCOUNT_TOKEN };
      const get = await fetch(`${server.url}${path}`, { headers: headersOf(options), redirect: 'manual' });
      const head = await fetch(`${server.url}${path}`, {
        method: 'HEAD',
        headers: headersOf(options),
        redirect: 'manual',
      });
      expect({ path, status: head.status }).toEqual({ path, status: get.status });
      expect({ path, type: head.headers.get('content-type') }).toEqual({
        path,
        type: get.headers.get('content-type'),
      });
      expect(await head.text()).toBe('');
      if (get.status !== 301) expect((await get.text()).length).toBeGreaterThan(0);
    }
  });

  it('runs the authorizer for HEAD /v1/me as for GET', async () => {
    const head = await server.call('HEAD', '/v1/me');
    expect(head.status).toBe(401);
  });
});

function headersOf(options: { bearer?: string }): Record<string, string> {
  return options.bearer === undefined ? {} : { authorization: `Bearer ${options.bearer}` };
}
