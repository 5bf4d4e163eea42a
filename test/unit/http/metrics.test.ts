// Token metrics as CloudWatch EMF members of the request's one log line: one count per outcome, namespace
// Tessera, the refusal code as a bounded dimension of its own dimension set, the line written even when the
// log level leaves INFO out, and nothing at all from handlers made without them.
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHandler as authorizer } from '../../../functions/authorizer/handler.ts';
import { formatServerToken } from '../../../functions/core/credentials.ts';
import { emfMetrics } from '../../../functions/http/metrics.ts';
import { createHandler as issue } from '../../../functions/issue/handler.ts';
import { createHandler as verify } from '../../../functions/verify/handler.ts';
import { seededDeps } from '../../helpers/deps.ts';
import { httpApiAuthorizerEvent, httpApiEvent, restApiEvent } from './fixture-events.ts';

interface Emf {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
  [field: string]: unknown;
}

/** Runs `act` and answers every line it wrote to stdout, parsed. */
async function outputLines(act: () => Promise<unknown>): Promise<Emf[]> {
  const lines: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  });
  try {
    await act();
  } finally {
    vi.restoreAllMocks();
  }
  return lines.map((line) => JSON.parse(line) as Emf);
}

/** Runs `act` and answers the lines it wrote to stdout that carry EMF. */
async function emfLines(act: () => Promise<unknown>): Promise<Emf[]> {
  return (await outputLines(act)).filter((line) => line._aws !== undefined);
}

/** EMF metrics as Lambda makes them, over an empty environment (POWERTOOLS_METRICS_DISABLED unset). */
function metricsUnderTest() {
  return emfMetrics({}, {});
}

const infoLogger = () => new Logger({ serviceName: 'tessera', logLevel: 'INFO' });

describe('token metrics', () => {
  afterEach(() => vi.restoreAllMocks());

  it('counts an issue, a verify and a refusal by code, one flush per invocation', async () => {
    const deps = await seededDeps();
    const metrics = metricsUnderTest();
    const lines = await emfLines(async () => {
      const issued = await issue(deps, undefined, metrics)({ ecosystemId: 'eco1', userId: 'alice' });
      const { token } = issued as { token: string };
      await verify(deps, undefined, metrics)(restApiEvent('POST', '/v1/tokens/verify', { body: { token } }));
      await verify(deps, undefined, metrics)({ token: `${token}x` });
    });
    const named = lines.map((line) => ({
      name: line._aws.CloudWatchMetrics[0]?.Metrics[0]?.Name,
      namespace: line._aws.CloudWatchMetrics[0]?.Namespace,
      dimensions: line._aws.CloudWatchMetrics[0]?.Dimensions,
      service: line.service,
      code: line.code,
    }));
    expect(named).toEqual([
      {
        name: 'TokensIssued',
        namespace: 'Tessera',
        dimensions: [['service']],
        service: 'tessera',
        code: undefined,
      },
      {
        name: 'TokensVerified',
        namespace: 'Tessera',
        dimensions: [['service']],
        service: 'tessera',
        code: undefined,
      },
      {
        name: 'TokensRefused',
        namespace: 'Tessera',
        dimensions: [['service', 'code']],
        service: 'tessera',
        code: 'TOKEN_STRUCTURE_INVALID',
      },
    ]);
  });

  it('counts the authorizer: a verified token, then a refusal by code', async () => {
    const deps = await seededDeps();
    const answer = await issue(deps)({ ecosystemId: 'eco1', userId: 'alice' });
    const { token } = answer as { token: string };
    const handler = authorizer(deps, undefined, metricsUnderTest());
    const lines = await emfLines(async () => {
      await handler(httpApiAuthorizerEvent(`Bearer ${token}`));
      deps.clock.advance(3601);
      await handler(httpApiAuthorizerEvent(`Bearer ${token}`));
    });
    expect(lines.map((line) => [line._aws.CloudWatchMetrics[0]?.Metrics[0]?.Name, line.code])).toEqual([
      ['TokensVerified', undefined],
      ['TokensRefused', 'TOKEN_EXPIRED'],
    ]);
  });

  it('keeps the code dimension bounded: errors that are not token refusals are not counted', async () => {
    const deps = await seededDeps();
    const handler = issue(deps, undefined, metricsUnderTest());
    const lines = await emfLines(async () => {
      await handler({ ecosystemId: 'eco1', userId: 'nobody' });
      await handler(
        httpApiEvent('POST', '/v1/ecosystems/eco1/users/alice/tokens?ttl=0', {
          bearer: formatServerToken('eco1', 'st1', 'secret'),
        }),
      );
    });
    expect(lines).toEqual([]);
  });

  it('writes one line per request at INFO: the request fields and the count in one object, no token', async () => {
    const deps = await seededDeps();
    const { token } = (await issue(deps)({ ecosystemId: 'eco1', userId: 'alice' })) as { token: string };
    const handler = verify(deps, infoLogger(), metricsUnderTest());
    const lines = await outputLines(async () => {
      const context = { functionName: 'tessera-verify', awsRequestId: 'request-1' } as Context;
      await handler(restApiEvent('POST', '/v1/tokens/verify', { body: { token } }), context);
      await handler(restApiEvent('POST', '/v1/tokens/verify', { body: { token: `${token}x` } }));
      await handler(restApiEvent('GET', '/v1/nowhere'));
    });
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'INFO',
        message: 'request',
        service: 'tessera',
        function_name: 'tessera-verify',
        function_request_id: 'request-1',
        function: 'verify',
        route: 'verifyToken',
        status: 200,
        latencyMs: expect.any(Number),
        _aws: {
          Timestamp: expect.any(Number),
          CloudWatchMetrics: [
            {
              Namespace: 'Tessera',
              Dimensions: [['service']],
              Metrics: [{ Name: 'TokensVerified', Unit: 'Count' }],
            },
          ],
        },
        TokensVerified: 1,
      }),
      expect.objectContaining({
        message: 'request',
        status: 401,
        code: 'TOKEN_STRUCTURE_INVALID',
        _aws: {
          Timestamp: expect.any(Number),
          CloudWatchMetrics: [
            {
              Namespace: 'Tessera',
              Dimensions: [['service', 'code']],
              Metrics: [{ Name: 'TokensRefused', Unit: 'Count' }],
            },
          ],
        },
        TokensRefused: 1,
      }),
      expect.objectContaining({ message: 'request', status: 404, code: 'ROUTE_NOT_FOUND' }),
    ]);
    expect(lines[2]?._aws).toBeUndefined(); // not a token refusal: no metric
    expect(JSON.stringify(lines)).not.toContain(token.split('.')[2]);
  });

  it('writes no metric when POWERTOOLS_METRICS_DISABLED is true', async () => {
    const deps = await seededDeps();
    const metrics = emfMetrics({}, { POWERTOOLS_METRICS_DISABLED: 'true' });
    const lines = await emfLines(async () => {
      await issue(deps, undefined, metrics)({ ecosystemId: 'eco1', userId: 'alice' });
    });
    expect(lines).toEqual([]);
  });

  it('writes nothing from handlers made without metrics, as the local server and tests make them', async () => {
    const deps = await seededDeps();
    const lines = await emfLines(async () => {
      await issue(deps)({ ecosystemId: 'eco1', userId: 'alice' });
    });
    expect(lines).toEqual([]);
  });
});
