import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsClientsIn, type BuiltFunction, buildAll } from '../../../infra/build.ts';
import { FUNCTION_NAMES } from '../../../infra/bundle.ts';
import { invokeBundle, writeBundleRunner } from '../../helpers/bundle-runner.ts';
import { TEST_ACCOUNT_TOKEN } from '../../helpers/deps.ts';
import { makeDataDir, removeDataDir } from '../../helpers/server.ts';
import { httpApiEvent, tokenAuthorizerEvent } from '../../unit/http/fixture-events.ts';

describe('the built bundles', () => {
  let dir: string;
  let runner: string;
  let built: BuiltFunction[];

  beforeAll(async () => {
    dir = await makeDataDir();
    runner = await writeBundleRunner(dir);
    built = buildAll(join(dir, 'dist'));
  }, 120_000);
  afterAll(() => removeDataDir(dir));

  /** Invokes one bundle's `handler` in a new Node process; answers its result and the EMF lines it wrote. */
  async function invoke(name: string, event: unknown) {
    const file = built.find((b) => b.name === name)?.file ?? '';
    const { answer: raw, lines } = await invokeBundle(runner, file, event, {
      TESSERA_DATA_DIR: join(dir, 'data'),
      TESSERA_ACCOUNT_TOKEN: TEST_ACCOUNT_TOKEN,
      AWS_LAMBDA_FUNCTION_NAME: `tessera-${name}`,
    });
    // biome-ignore lint/suspicious/noExplicitAny: the test reads the bundle's JSON answer
    const answer = raw as any;
    const emf = lines.filter((l) => l.includes('"CloudWatchMetrics"')).map((l) => JSON.parse(l));
    return { answer, emf };
  }

  it('builds every function to index.mjs with a source map', () => {
    expect(built.map((b) => b.name)).toEqual([...FUNCTION_NAMES]);
    for (const { file, metafile } of built) {
      expect(Object.keys(metafile.outputs)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/index\.mjs$/),
          expect.stringMatching(/index\.mjs\.map$/),
        ]),
      );
      expect(file).toMatch(/index\.mjs$/);
    }
  });

  it('carries no AWS client a function does not use, and none of the client, CLI, local server or CDK', () => {
    for (const { name, metafile } of built) {
      const clients = awsClientsIn(metafile);
      expect({ name, lambda: clients.includes('client-lambda') }).toEqual({ name, lambda: false });
      for (const client of clients) {
        expect(['client-dynamodb', 'client-kms', 'client-secrets-manager', 'client-eventbridge']).toContain(
          client,
        );
      }
      const inputs = Object.keys(metafile.inputs);
      const stray = inputs.filter((i) =>
        /functions\/(client|local|cli)\/|aws-cdk-lib|vitest|esbuild/.test(i),
      );
      expect({ name, stray }).toEqual({ name, stray: [] });
    }
  });

  it('each answers an event in a fresh process: admin over HTTP, then issue, verify, refresh, authorizer, keys direct', async () => {
    const eco = await invoke(
      'admin',
      httpApiEvent('POST', '/v1/ecosystems', { bearer: TEST_ACCOUNT_TOKEN, body: { name: 'bundled' } }),
    );
    expect(eco.answer.statusCode).toBe(201);
    const { ecosystemId, serverToken } = JSON.parse(eco.answer.body);
    const user = await invoke(
      'admin',
      httpApiEvent('PUT', `/v1/ecosystems/${ecosystemId}/users/alice`, { bearer: serverToken, body: {} }),
    );
    expect(user.answer.statusCode).toBe(201);

    const issued = await invoke('issue', {
      ecosystemId,
      userId: 'alice',
      expiryType: 'SlidingTtl',
      ttl: 600,
    });
    expect(issued.answer).toMatchObject({ expiryType: 'SlidingTtl', token: expect.any(String) });
    expect(issued.emf.map((e) => e._aws.CloudWatchMetrics[0].Metrics[0].Name)).toEqual(['TokensIssued']);
    const { token } = issued.answer;

    expect((await invoke('verify', { token })).answer).toMatchObject({ valid: true, userId: 'alice' });
    expect((await invoke('verify', { token: 'x.y.z' })).answer).toMatchObject({
      valid: false,
      error: { code: 'TOKEN_STRUCTURE_INVALID' },
    });
    const refreshed = await invoke('refresh', { token });
    expect(refreshed.answer).toMatchObject({ expiryType: 'SlidingTtl', token: expect.any(String) });

    const policy = await invoke('authorizer', tokenAuthorizerEvent(`Bearer ${refreshed.answer.token}`));
    expect(policy.answer).toMatchObject({ principalId: 'alice', context: { ecosystemId } });
    expect((await invoke('authorizer', tokenAuthorizerEvent('Bearer x.y.z'))).answer).toEqual({
      thrown: 'Unauthorized',
    });

    const jwks = await invoke('keys', {});
    expect(jwks.answer.keys).toEqual([expect.objectContaining({ kty: 'EC', crv: 'P-256', alg: 'ES256' })]);
  }, 120_000);

  // What a browser sends through the deployed HTTP API: the console link without its slash, a CORS
  // preflight (on the $default route, whose function is keys), and HEAD.
  it('answers the browser paths as API Gateway delivers them: /console, OPTIONS preflights and HEAD', async () => {
    const redirect = await invoke('keys', httpApiEvent('GET', '/console'));
    expect(redirect.answer.statusCode).toBe(301);
    expect(redirect.answer.headers.location).toBe('console/');

    const preflight = await invoke(
      'keys',
      httpApiEvent('OPTIONS', '/v1/tokens/verify', {
        headers: {
          origin: 'https://app.example.com',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      }),
    );
    expect(preflight.answer.statusCode).toBe(204);
    expect(preflight.answer.headers).toMatchObject({
      'access-control-allow-origin': '*',
      'access-control-allow-headers': 'authorization, content-type',
      'access-control-max-age': '86400',
      allow: 'POST',
    });
    expect(preflight.answer.headers['access-control-allow-methods'].split(', ')).toContain('POST');

    const get = await invoke('keys', httpApiEvent('GET', '/.well-known/jwks.json'));
    const head = await invoke('keys', httpApiEvent('HEAD', '/.well-known/jwks.json'));
    expect(head.answer.statusCode).toBe(200);
    expect(head.answer.body).toBe('');
    expect(head.answer.headers).toEqual(get.answer.headers);
    expect(JSON.parse(get.answer.body).keys).toHaveLength(1);
  }, 120_000);
});
