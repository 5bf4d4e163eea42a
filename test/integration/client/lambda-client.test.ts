// The Lambda client through the real @aws-sdk/client-lambda InvokeCommand, against a Lambda Invoke double
// on a loopback port that runs the real issue, verify and refresh handlers with direct-invocation events.
import { LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TesseraLambdaClient } from '../../../functions/client/index.ts';
import { createHandler as issueHandler } from '../../../functions/issue/handler.ts';
import { createHandler as refreshHandler } from '../../../functions/refresh/handler.ts';
import { createHandler as verifyHandler } from '../../../functions/verify/handler.ts';
import { seedUser, type TestDeps, testDeps } from '../../helpers/deps.ts';
import { type LambdaInvokeDouble, startLambdaInvokeDouble } from './lambda-invoke-double.ts';
import { refusal } from './refusal.ts';

const FUNCTIONS = { issue: 'tessera-issue', verify: 'tessera-verify', refresh: 'tessera-refresh' };

describe('TesseraLambdaClient', () => {
  let deps: TestDeps;
  let double: LambdaInvokeDouble;
  let lambda: LambdaClient;
  let tessera: TesseraLambdaClient;

  beforeAll(async () => {
    deps = await testDeps();
    await seedUser(deps, 'eco1', 'alice');
    double = await startLambdaInvokeDouble({
      [FUNCTIONS.issue]: issueHandler(deps),
      [FUNCTIONS.verify]: verifyHandler(deps),
      [FUNCTIONS.refresh]: refreshHandler(deps),
      'tessera-broken': async () => {
        throw new TypeError('cannot read properties of undefined');
      },
      'not-tessera': async () => ({ statusCode: 200, body: '{}' }),
    });
    lambda = new LambdaClient({
      endpoint: double.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
      maxAttempts: 1,
    });
    tessera = new TesseraLambdaClient({ functions: FUNCTIONS, lambda, precheck: { now: deps.clock.now } });
  });

  afterAll(async () => {
    lambda.destroy();
    await double.close();
  });

  it('issues, verifies and refreshes a token through InvokeCommand', async () => {
    const issued = await tessera.issueToken('eco1', 'alice', {
      expiryType: 'SlidingTtl',
      ttl: 600,
      maxTtl: 1200,
      claims: { device: 'phone' },
    });
    expect(issued).toMatchObject({ expiryType: 'SlidingTtl', ttl: 600, token: expect.any(String) });
    expect(issued.absoluteExpiresAt).toBe(new Date((deps.clock.seconds() + 1200) * 1000).toISOString());

    const verified = await tessera.verifyToken(issued.token);
    expect(verified).toMatchObject({
      valid: true,
      userId: 'alice',
      ecosystemId: 'eco1',
      claims: { device: 'phone' },
      metadata: { plan: 'pro' },
    });

    const successor = await tessera.refreshToken(issued.token);
    expect(successor.tokenId).not.toBe(issued.tokenId);
    const rotated = await refusal(() => tessera.verifyToken(issued.token));
    expect([rotated.code, rotated.status]).toEqual(['TOKEN_REVOKED', 401]);
    expect(double.invocations).toEqual([
      FUNCTIONS.issue,
      FUNCTIONS.verify,
      FUNCTIONS.refresh,
      FUNCTIONS.verify,
    ]);
  });

  it('turns {"error"} and {"valid":false,"error"} answers into the API.md codes', async () => {
    const missing = await refusal(() => tessera.issueToken('eco1', 'nobody'));
    expect([missing.code, missing.status]).toEqual(['USER_NOT_FOUND', 404]);
    const duration = await refusal(() => tessera.issueToken('eco1', 'alice', { ttl: 0 }));
    expect([duration.code, duration.status]).toEqual(['TOKEN_DURATION_INVALID', 400]);

    const unchecked = new TesseraLambdaClient({ functions: FUNCTIONS, lambda, precheck: false });
    const garbage = await refusal(() => unchecked.verifyToken('not-a-token'));
    expect([garbage.code, garbage.status]).toEqual(['TOKEN_STRUCTURE_INVALID', 401]);
    expect((await refusal(() => unchecked.refreshToken('a.b.c'))).code).toBe('TOKEN_STRUCTURE_INVALID');
  });

  it('issues with an audience and verifies for it; another audience is TOKEN_AUDIENCE_INVALID, locally and from the function', async () => {
    const { token } = await tessera.issueToken('eco1', 'alice', { audience: ['chat-api'] });
    const verified = await tessera.verifyToken(token, { audience: 'chat-api' });
    expect(verified).toMatchObject({ valid: true, userId: 'alice', audience: ['chat-api'] });

    // The pre-check refuses the other audience without invoking anything...
    const before = double.invocations.length;
    const local = await refusal(() => tessera.verifyToken(token, { audience: 'admin-api' }));
    expect([local.code, local.status]).toEqual(['TOKEN_AUDIENCE_INVALID', 401]);
    expect(double.invocations.length).toBe(before);
    // ...and without it the verify function, sent the audience in its event, refuses it itself.
    const unchecked = new TesseraLambdaClient({ functions: FUNCTIONS, lambda, precheck: false });
    const remote = await refusal(() => unchecked.verifyToken(token, { audience: 'admin-api' }));
    expect([remote.code, remote.status]).toEqual(['TOKEN_AUDIENCE_INVALID', 401]);
    expect(double.invocations.slice(before)).toEqual([FUNCTIONS.verify]);
  });

  it('refuses an expired FixedTtl token before invoking anything', async () => {
    const { token } = await tessera.issueToken('eco1', 'alice', { expiryType: 'FixedTtl', ttl: 30 });
    const before = double.invocations.length;
    const later = new TesseraLambdaClient({
      functions: FUNCTIONS,
      lambda,
      precheck: { now: () => deps.clock.now() + 30_000 },
    });
    expect((await refusal(() => later.verifyToken(token))).code).toBe('TOKEN_EXPIRED');
    expect(double.invocations.length).toBe(before);
  });

  it('reports a function error as INTERNAL_ERROR without its message, and a non-Tessera answer', async () => {
    const broken = new TesseraLambdaClient({ functions: { ...FUNCTIONS, issue: 'tessera-broken' }, lambda });
    const failed = await refusal(() => broken.issueToken('eco1', 'alice'));
    expect([failed.code, failed.status]).toEqual(['INTERNAL_ERROR', 500]);
    expect(failed.message).toContain('TypeError');
    expect(failed.message).not.toContain('cannot read properties');

    const other = new TesseraLambdaClient({ functions: { ...FUNCTIONS, issue: 'not-tessera' }, lambda });
    expect((await refusal(() => other.issueToken('eco1', 'alice'))).code).toBe('RESPONSE_INVALID');
  });

  it('says SERVICE_UNAVAILABLE when Lambda throttles, and passes a setup mistake on as the SDK error', async () => {
    double.throttle = true;
    const throttled = await refusal(() => tessera.issueToken('eco1', 'alice'));
    double.throttle = false;
    expect([throttled.code, throttled.retryAfterSeconds]).toEqual(['SERVICE_UNAVAILABLE', 1]);

    const misnamed = new TesseraLambdaClient({
      functions: { ...FUNCTIONS, verify: 'tessera-verfy' },
      lambda,
    });
    const { token } = await tessera.issueToken('eco1', 'alice');
    await expect(misnamed.verifyToken(token)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
