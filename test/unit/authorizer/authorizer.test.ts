// The Lambda authorizer on each event API Gateway sends it: HTTP API 2.0 simple responses, REST TOKEN and
// REQUEST policies; a use for SlidingTtl tokens, and a revoked token refused on the next call.
import { Logger } from '@aws-lambda-powertools/logger';
import { describe, expect, it, vi } from 'vitest';
import { createHandler } from '../../../functions/authorizer/handler.ts';
import { formatServerToken } from '../../../functions/core/credentials.ts';
import type { Deps } from '../../../functions/core/deps.ts';
import { revokePresentedToken } from '../../../functions/core/revoke-token.ts';
import { createHandler as issue } from '../../../functions/issue/handler.ts';
import { seededDeps, type TestDeps } from '../../helpers/deps.ts';
import {
  httpApiAuthorizerEvent,
  httpApiEvent,
  requestAuthorizerEvent,
  tokenAuthorizerEvent,
} from '../http/fixture-events.ts';

async function seededWithToken(query = 'expiryType=FixedTtl&ttl=600', claims = { role: 'reader' }) {
  const deps = await seededDeps();
  const answer = await issue(deps)(
    httpApiEvent('POST', `/v1/ecosystems/eco1/users/alice/tokens?${query}`, {
      bearer: formatServerToken('eco1', 'st1', 'secret'),
      body: { claims },
    }),
  );
  const issued = JSON.parse(answer.body ?? '') as { token: string; tokenId: string };
  return { deps, ...issued };
}

describe('the authorizer, HTTP API payload 2.0 with simple responses', () => {
  it("lets a valid user token through with the user's identity as string context", async () => {
    const { deps, token, tokenId } = await seededWithToken();
    const answer = await createHandler(deps)(httpApiAuthorizerEvent(`Bearer ${token}`));
    expect(answer).toEqual({
      isAuthorized: true,
      context: {
        userId: 'alice',
        ecosystemId: 'eco1',
        tokenId,
        expiryType: 'FixedTtl',
        claims: '{"role":"reader"}',
        metadata: '{"plan":"pro"}',
        audience: 'null',
      },
    });
  });

  it('refuses a missing, malformed or non-Bearer credential', async () => {
    const { deps, token } = await seededWithToken();
    const handler = createHandler(deps);
    for (const authorization of [undefined, 'Bearer not-a-token', `Basic ${token}`, token]) {
      expect(await handler(httpApiAuthorizerEvent(authorization))).toEqual({ isAuthorized: false });
    }
  });

  it('refuses a revoked token on the next call it sees', async () => {
    const { deps, token } = await seededWithToken();
    const handler = createHandler(deps);
    expect(await handler(httpApiAuthorizerEvent(`Bearer ${token}`))).toMatchObject({ isAuthorized: true });
    await revokePresentedToken(deps, token);
    expect(await handler(httpApiAuthorizerEvent(`Bearer ${token}`))).toEqual({ isAuthorized: false });
  });

  it('counts as a use of a SlidingTtl token: each call restarts its idle clock', async () => {
    const { deps, token } = await seededWithToken('expiryType=SlidingTtl&ttl=60');
    const handler = createHandler(deps);
    for (let call = 0; call < 3; call += 1) {
      deps.clock.advance(50); // 150 s in all: only the authorizer's uses keep the 60 s token alive
      expect(await handler(httpApiAuthorizerEvent(`Bearer ${token}`))).toMatchObject({ isAuthorized: true });
    }
    deps.clock.advance(61);
    expect(await handler(httpApiAuthorizerEvent(`Bearer ${token}`))).toEqual({ isAuthorized: false });
  });

  it('fails (API Gateway answers 500) rather than decide when its store is down, naming nothing internal', async () => {
    const { deps, token } = await seededWithToken();
    const broken: Deps = {
      ...deps,
      tokens: new Proxy(deps.tokens, {
        get: (target, name) =>
          name === 'getTokenContext'
            ? () => Promise.reject(new Error('ECONNREFUSED 10.0.0.7'))
            : Reflect.get(target, name),
      }),
    };
    const failure = createHandler(broken)(httpApiAuthorizerEvent(`Bearer ${token}`));
    await expect(failure).rejects.toThrow(/could not check the token/);
    await expect(failure).rejects.not.toThrow(/ECONNREFUSED/);
  });
});

describe('the authorizer, REST API TOKEN and REQUEST types', () => {
  function expectAllowPolicy(answer: unknown, resource: string, tokenId: string) {
    expect(answer).toEqual({
      principalId: 'alice',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: resource }],
      },
      context: expect.objectContaining({
        userId: 'alice',
        ecosystemId: 'eco1',
        tokenId,
        claims: '{"role":"reader"}',
      }),
    });
  }

  it('answers a TOKEN event with an Allow policy for the whole stage, principalId being the userId', async () => {
    const { deps, token, tokenId } = await seededWithToken();
    const answer = await createHandler(deps)(tokenAuthorizerEvent(`Bearer ${token}`));
    expectAllowPolicy(answer, 'arn:aws:execute-api:us-west-2:123456789012:ymy8tbxw7b/prod/*', tokenId);
  });

  it('answers a REQUEST event, reading the Authorization header in the casing the client sent', async () => {
    const { deps, token, tokenId } = await seededWithToken();
    const answer = await createHandler(deps)(requestAuthorizerEvent(`Bearer ${token}`));
    expectAllowPolicy(answer, 'arn:aws:execute-api:us-east-1:123456789012:abcdef123/test/*', tokenId);
  });

  it('ends in "Unauthorized" for an invalid, revoked or missing token, as API Gateway needs for a 401', async () => {
    const { deps, token } = await seededWithToken();
    const handler = createHandler(deps);
    await expect(handler(tokenAuthorizerEvent('Bearer x.y.z'))).rejects.toThrow(/^Unauthorized$/);
    await expect(handler(requestAuthorizerEvent(undefined))).rejects.toThrow(/^Unauthorized$/);
    await revokePresentedToken(deps, token);
    await expect(handler(tokenAuthorizerEvent(`Bearer ${token}`))).rejects.toThrow(/^Unauthorized$/);
    await expect(handler(requestAuthorizerEvent(`Bearer ${token}`))).rejects.toThrow(/^Unauthorized$/);
  });
});

describe('the authorizer log', () => {
  it('writes one line per call with the outcome and refusal code, and never the token', async () => {
    const { deps, token } = await seededWithToken();
    const handler = createHandler(deps, new Logger({ serviceName: 'tessera', logLevel: 'INFO' }));
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      await handler(httpApiAuthorizerEvent(`Bearer ${token}`));
      await handler(httpApiAuthorizerEvent(`Bearer ${token}x`));
    } finally {
      vi.restoreAllMocks();
    }
    const output = lines.join('');
    const logged = output
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(logged).toEqual([
      expect.objectContaining({ message: 'authorize', kind: 'authorizer-http-v2', allowed: true }),
      expect.objectContaining({ message: 'authorize', allowed: false, code: 'TOKEN_STRUCTURE_INVALID' }),
    ]);
    expect(output).not.toContain(token.split('.')[2]);
  });
});

describe('the authorizer, invoked directly', () => {
  it('answers {"token"} with the simple response shape', async () => {
    const { deps, token }: { deps: TestDeps; token: string } = await seededWithToken();
    const handler = createHandler(deps);
    expect(await handler({ token })).toMatchObject({ isAuthorized: true, context: { userId: 'alice' } });
    expect(await handler({ token: 'nope' })).toEqual({ isAuthorized: false });
    expect(await handler('nonsense')).toEqual({ isAuthorized: false });
  });
});

describe('the authorizer with a required audience (TESSERA_AUTHORIZER_AUDIENCE)', () => {
  /** deps whose authorizer requires `chat-api`, and tokens issued with the audiences given. */
  async function withAudience(...audiences: (string[] | undefined)[]) {
    const deps = await seededDeps({ config: { authorizerAudience: 'chat-api' } });
    const tokens: string[] = [];
    for (const audience of audiences) {
      const answer = await issue(deps)(
        httpApiEvent('POST', '/v1/ecosystems/eco1/users/alice/tokens', {
          bearer: formatServerToken('eco1', 'st1', 'secret'),
          body: audience === undefined ? {} : { audience },
        }),
      );
      tokens.push((JSON.parse(answer.body ?? '') as { token: string }).token);
    }
    return { deps, tokens };
  }

  it('lets a token of that audience through, its audiences in the context as a JSON string', async () => {
    const { deps, tokens } = await withAudience(['chat-api', 'admin-api']);
    const answer = await createHandler(deps)(httpApiAuthorizerEvent(`Bearer ${tokens[0]}`));
    expect(answer).toMatchObject({
      isAuthorized: true,
      context: { audience: '["chat-api","admin-api"]' },
    });
  });

  it('refuses a token of another audience or of none, and counts the refusal by its code', async () => {
    const { deps, tokens } = await withAudience(['admin-api'], undefined);
    const metrics = { counted: vi.fn(), refused: vi.fn(), flush: vi.fn() };
    const handler = createHandler(deps, undefined, metrics as never);
    for (const token of tokens) {
      await expect(handler(httpApiAuthorizerEvent(`Bearer ${token}`))).resolves.toEqual({
        isAuthorized: false,
      });
      await expect(handler(tokenAuthorizerEvent(`Bearer ${token}`))).rejects.toThrow('Unauthorized');
    }
    expect(metrics.refused.mock.calls.map(([code]) => code)).toEqual(Array(4).fill('TOKEN_AUDIENCE_INVALID'));
  });
});
