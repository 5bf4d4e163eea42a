// Every route answers what its declaration says, over real HTTP on the local server: each success parses
// with the schema the route names for its status and holds nothing more, and each refusal carries a code
// the route declares (its own, or one its access, path and request imply), at that code's status.
import * as v from 'valibot';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../../functions/http/request.ts';
import { errorCodesOf, pathParameters, type Route } from '../../../functions/http/route-definition.ts';
import { ROUTES } from '../../../functions/http/routes.ts';
import { BODY_MEMBERS } from '../../../functions/http/schemas.ts';
import { frozenClock } from '../../helpers/clock.ts';
import { TEST_ACCOUNT_TOKEN } from '../../helpers/deps.ts';
import { providerBodies } from '../../helpers/providers.ts';
import { seedThroughApi } from '../../helpers/server.ts';
import { useSeededServer } from '../../helpers/use-test-server.ts';
import { checkAnswer, checkedCaller, type Seen } from './declarations.ts';

/**
 * Declared codes no call here can provoke, and why: a dependency outage (any route), /v1/me without the
 * authorizer in front (the local server always runs it), a console file missing beside the keys bundle.
 */
const PROVOKED_ELSEWHERE: Record<string, readonly string[]> = {
  '*': ['SERVICE_UNAVAILABLE'], // test/hardening/deadline.test.ts, faults.test.ts
  me: ['UNAUTHORIZED'], // test/unit/http/front-doors.test.ts ('when no authorizer ran')
  // Only if a deploy lost a file infra/bundle.ts copies (the bundles test serves each one).
  console: ['ROUTE_NOT_FOUND'],
  consoleHtml: ['ROUTE_NOT_FOUND'],
  consoleCss: ['ROUTE_NOT_FOUND'],
  consoleJs: ['ROUTE_NOT_FOUND'],
};

describe('the route declarations, against what the local server answers', () => {
  const clock = frozenClock();
  const { server, seed } = useSeededServer({ clock });
  const seen: Seen = { answers: new Set(), refusals: new Set() };
  const call = checkedCaller(server, seen);
  const account = { bearer: TEST_ACCOUNT_TOKEN };
  let eco: string;
  let st: { bearer: string };
  let other: { bearer: string };

  beforeAll(async () => {
    eco = seed.ecosystemId;
    st = { bearer: seed.serverToken };
    other = { bearer: (await seedThroughApi(server)).serverToken };
  });

  const user = (userId = 'alice') => `/v1/ecosystems/${eco}/users/${userId}`;
  const issue = async (query = '') =>
    (await call('POST', `${user()}/tokens${query}`, st)).body.token as string;
  /** The route's path with the seeded ecosystem, alice, and ids that exist nowhere. */
  const concrete = (path: string, ids: Record<string, string> = {}) =>
    path.replace(
      /\{([a-zA-Z]+)\}/g,
      (_, name: string) => ids[name] ?? { ecosystemId: eco, userId: 'alice' }[name] ?? 'none',
    );

  it('answers every declared status of every route with exactly the schema it names', async () => {
    const made = (await call('POST', '/v1/ecosystems', { ...account, body: { name: 'tour' } })).body;
    const own = { bearer: made.serverToken as string };
    const base = `/v1/ecosystems/${made.ecosystemId}`;
    await call('GET', '/v1/ecosystems', account);
    await call('GET', base, own);
    const added = (await call('POST', `${base}/server-tokens`, own)).body;
    await call('GET', `${base}/server-tokens`, own);
    await call('DELETE', `${base}/server-tokens/${added.serverTokenId}`, own);
    await call('POST', `${base}/users`, { ...own, body: { metadata: { plan: 'pro' } } });
    await call('PUT', `${base}/users/bob`, { ...own, body: { metadata: { n: 1 } } });
    await call('PUT', `${base}/users/bob`, own);
    await call('GET', `${base}/users/bob`, own);
    const bob = `${base}/users/bob/tokens`;
    for (const query of ['?expiryType=Infinite', '?ttl=600', '?expiryType=SlidingTtl&ttl=60&maxTtl=600']) {
      await call('POST', `${bob}${query}`, { ...own, body: { claims: { role: 'x' } } });
    }
    const compat = (await call('POST', `/api/users/${made.ecosystemId};bob/tokens`, own)).body;
    await call('GET', bob, own);
    await call('POST', '/v1/tokens/verify', { body: { token: compat.token } });
    await call('POST', '/v1/tokens/verify', { bearer: compat.token });
    const next = (await call('POST', '/v1/tokens/refresh', { body: { token: compat.token } })).body;
    await call('GET', '/v1/me', { bearer: next.token });
    await call('GET', '/v1/me');
    await call('GET', '/v1/me', { bearer: 'not-a-token' });
    await call('POST', '/v1/tokens/revoke', { bearer: next.token });
    await call('DELETE', `${bob}/${compat.tokenId}`, own);
    await call('DELETE', bob, own);
    await call('GET', `${base}/usage`, own);
    await call('GET', `${base}/usage?from=2026-01-01&to=2026-01-31`, own);
    await call('GET', '/.well-known/jwks.json');
    await call('GET', '/openapi.json');
    for (const file of ['/console/', '/console/index.html', '/console/console.css', '/console/console.js']) {
      await call('GET', file);
    }
    // fetch would follow the redirect: ask for it as it is.
    const redirect = await fetch(`${server.url}/console`, { redirect: 'manual' });
    const route = ROUTES.find((r) => r.id === 'consoleRedirect') as Route;
    checkAnswer(
      route,
      { status: redirect.status, headers: redirect.headers, body: undefined, text: '' },
      seen,
    );
    // Token providers (created, replaced, read, listed, deleted) and the exchange of a user token.
    const providers = `${base}/providers`;
    await call('PUT', `${providers}/chat`, { ...own, body: providerBodies().stream });
    await call('PUT', `${providers}/chat`, { ...own, body: providerBodies().twilio });
    await call('PUT', `${providers}/push`, { ...own, body: providerBodies().infobip });
    await call('GET', `${providers}/chat`, own);
    await call('GET', providers, own);
    const holder = (await call('POST', `${bob}?ttl=600`, own)).body.token;
    for (const provider of ['chat', 'push']) {
      await call('POST', '/v1/tokens/exchange', { body: { token: holder, provider } });
    }
    await call('DELETE', `${providers}/push`, own);
    // Revocations (made, listed, undone), an audience-bound token with a label, and revoke-others.
    const issuedBefore = '2000-01-01T00:00:00Z';
    const made1 = (await call('POST', `${base}/revocations`, { ...own, body: { issuedBefore } })).body;
    await call('GET', `${base}/revocations`, own);
    await call('DELETE', `${base}/revocations/${made1.revocationId}`, own);
    const bound = { audience: ['chat-api'], label: 'phone' };
    const signedIn = (await call('POST', `${bob}?ttl=600`, { ...own, body: bound })).body.token;
    await call('POST', '/v1/tokens/verify', { body: { token: signedIn, audience: 'chat-api' } });
    await call('POST', '/v1/tokens/revoke-others', { bearer: signedIn });
    await call('DELETE', `${base}/users/bob`, own);
    await call('DELETE', base, account);

    const declared = ROUTES.flatMap((r) => Object.keys(r.answers).map((status) => `${r.id} ${status}`));
    expect([...seen.answers].sort()).toEqual(declared.sort());
  });

  /** A credential the route takes: the account or server token, else a user token (for /v1/me). */
  const credentialFor = async (route: Route) =>
    route.access === 'account' ? account : route.access === 'ecosystem' ? st : { bearer: await issue() };

  it('refuses what any route may refuse with codes it declares: the request, the credential, the ids', async () => {
    for (const route of ROUTES) {
      const path = concrete(route.path);
      const credential = await credentialFor(route);
      await call(route.method, `${path}?unknownField=1`, credential);
      await call(route.method, path, { ...credential, body: { unknownMember: 1 } });
      await call(route.method, path, { ...credential, body: 'x'.repeat(MAX_BODY_BYTES + 1) });
      if (route.access !== 'account' && route.access !== 'ecosystem') continue;
      await call(route.method, path);
      await call(route.method, path, route.access === 'account' ? st : other);
      const params = pathParameters(route.path);
      if (params.includes('ecosystemId')) {
        await call(route.method, concrete(route.path, { ecosystemId: '-bad' }), account);
        await call(route.method, concrete(route.path, { ecosystemId: 'no-such-ecosystem' }), account);
      }
      if (params.includes('userId')) await call(route.method, concrete(route.path, { userId: '-bad' }), st);
      if (params.includes('userId') && route.id !== 'putUser') {
        await call(route.method, concrete(route.path, { userId: 'nobody' }), st);
      }
    }
  });

  it('refuses a body member of a type its schema refuses, with a 400 its route declares', async () => {
    // `true` is of no member's type (a number would be a provider's ttl).
    for (const route of ROUTES as readonly Route[]) {
      for (const member of route.request.body ?? []) {
        const where = `${route.id} ${member}`;
        expect(v.is(BODY_MEMBERS[member], true), where).toBe(false);
        const answer = await call(route.method, concrete(route.path), {
          ...(await credentialFor(route)),
          body: { [member]: true },
        });
        expect(answer.status, where).toBe(400);
      }
    }
  });

  it("refuses what each route's own work refuses with codes it declares", async () => {
    await call('POST', '/v1/ecosystems', { ...account, body: { name: 5 } });
    await call('POST', `/v1/ecosystems/${eco}/users`, { ...st, body: { metadata: [] } });
    await call('PUT', user(), { ...st, body: { metadata: 'x' } });
    await call('DELETE', `/v1/ecosystems/${eco}/server-tokens/none`, st);
    await call('DELETE', `${user()}/tokens/none`, st);
    await call('GET', `/v1/ecosystems/${eco}/usage?from=2026-01-01`, st);
    for (const path of [`${user()}/tokens`, `/api/users/${eco};alice/tokens`]) {
      await call('POST', `${path}?expiryType=Weekly`, st);
      await call('POST', `${path}?ttl=soon`, st);
      await call('POST', path, { ...st, body: { claims: { sub: 'mallory' } } });
    }
    const expired = await issue('?ttl=5');
    const revoked = await issue();
    await call('POST', '/v1/tokens/revoke', { body: { token: revoked } });
    const rotated = await issue();
    await call('POST', '/v1/tokens/refresh', { body: { token: rotated } });
    const [h, p, s = ''] = (await issue()).split('.');
    const forged = `${h}.${p}.${s[0] === 'A' ? 'B' : 'A'}${s.slice(1)}`;
    clock.advance(30); // past the 5 s ttl, and past the grace period of the rotation
    clock.advance(31);
    const early = await issue(); // issued 31 s ahead of the clock below: over the 30 s skew
    clock.advance(-31);
    const presented = [
      '/v1/tokens/verify',
      '/v1/tokens/refresh',
      '/v1/tokens/revoke',
      '/v1/tokens/revoke-others',
    ];
    for (const path of presented) {
      for (const token of [undefined, 42, 'x.y', forged, expired, revoked, early]) {
        await call('POST', path, { body: token === undefined ? {} : { token } });
      }
    }
    for (const token of [42, 'x.y', forged, expired, revoked, early]) {
      await call('POST', '/v1/tokens/exchange', { body: { token, provider: 'none' } });
    }
    await call('POST', '/v1/tokens/refresh', { body: { token: rotated } });
    const providers = `/v1/ecosystems/${eco}/providers`;
    await call('PUT', `${providers}/p`, { ...st, body: { type: 'stream' } }); // no apiSecret
    await call('PUT', '/v1/ecosystems/no-such-ecosystem/providers/p', {
      ...account,
      body: providerBodies().stream,
    });
    for (const method of ['GET', 'DELETE']) {
      await call(method, `${providers}/-bad`, st);
      await call(method, `${providers}/none`, st);
    }
    for (const provider of ['-bad', 'none']) {
      await call('POST', '/v1/tokens/exchange', { body: { token: await issue(), provider } });
    }
    await call('POST', '/v1/tokens/verify', { body: { token: await issue(), audience: 'chat-api' } });
    await call('POST', '/v1/tokens/exchange', {
      body: { token: await issue(), provider: 'none', audience: 'chat-api' },
    });
    // Revocations: an instant past the clock skew, an unknown ecosystem and id, and one past the bound.
    const revocations = `/v1/ecosystems/${eco}/revocations`;
    await call('POST', revocations, { ...st, body: { issuedBefore: '2999-01-01T00:00:00Z' } });
    const past = { issuedBefore: '2000-01-01T00:00:00Z' };
    await call('POST', '/v1/ecosystems/no-such-ecosystem/revocations', { ...account, body: past });
    await call('DELETE', `${revocations}/none`, st);
    const full = (await call('POST', '/v1/ecosystems', account)).body;
    const fullBearer = { bearer: full.serverToken as string };
    let answer: { status: number };
    do {
      answer = await call('POST', `/v1/ecosystems/${full.ecosystemId}/revocations`, {
        ...fullBearer,
        body: past,
      });
    } while (answer.status === 201);
  });

  it('has seen each route answer every code it declares, but those provoked elsewhere', () => {
    for (const route of ROUTES) {
      const elsewhere = [...(PROVOKED_ELSEWHERE['*'] ?? []), ...(PROVOKED_ELSEWHERE[route.id] ?? [])];
      const declared = errorCodesOf(route).filter((code) => !elsewhere.includes(code));
      const provoked = [...seen.refusals]
        .filter((s) => s.startsWith(`${route.id} `))
        .map((s) => s.split(' ')[1]);
      expect({ route: route.id, codes: [...new Set(provoked)].sort() }).toEqual({
        route: route.id,
        codes: declared.sort(),
      });
    }
  });
});
