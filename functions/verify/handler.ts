// The verify function: POST /v1/tokens/verify (the token in the body or as a bearer credential, an optional
// audience in the body), the direct event {"token","audience"?}, and GET /v1/me, which answers from the context the Lambda authorizer put on the request.
import type { Logger } from '@aws-lambda-powertools/logger';
import { TesseraError } from '../core/errors.ts';
import type { JsonObject } from '../core/strict-json.ts';
import { verifyToken } from '../core/verify-token.ts';
import {
  type Action,
  createHttpFunction,
  type DepsSource,
  directToken,
  json,
} from '../http/http-function.ts';
import { emfMetrics, type TokenMetrics } from '../http/metrics.ts';
import { presentedToken } from '../http/request.ts';
import { atColdStart } from '../runtime/cold-start.ts';
import {
  buildTokenDependencies as buildDependencies,
  type TokenFunctionDeps,
} from '../runtime/dependencies.ts';

function parseClaims(value: unknown): JsonObject {
  if (typeof value !== 'string') return {};
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as JsonObject)
      : {};
  } catch {
    return {};
  }
}

/** GET /v1/me: who the authorizer let through; `claims` comes back from its JSON string. */
const me: Action<TokenFunctionDeps> = async ({ authorizer }) => {
  const context = authorizer ?? {};
  const text = (name: string) => {
    const value = context[name];
    if (typeof value !== 'string') {
      throw new TesseraError('UNAUTHORIZED', 'The authorizer did not vouch for this request.');
    }
    return value;
  };
  return json(200, {
    userId: text('userId'),
    ecosystemId: text('ecosystemId'),
    tokenId: text('tokenId'),
    expiryType: text('expiryType'),
    claims: parseClaims(context.claims),
  });
};

/**
 * The verify handler with the given dependencies (tests and the local server inject theirs).
 *
 * @example
 * const handler = createHandler(deps);
 * await handler({ token }); // { valid: true, userId, … } or { valid: false, error: { code: 'TOKEN_…' } }
 */
export function createHandler(
  deps: DepsSource<TokenFunctionDeps> = buildDependencies,
  logger?: Logger,
  metrics?: TokenMetrics,
) {
  return createHttpFunction(
    'verify',
    {
      verifyToken: async (request, d) =>
        json(200, await verifyToken(d, presentedToken(request), { audience: request.body.audience })),
      me,
    },
    deps,
    {
      logger,
      metrics,
      direct: {
        members: ['token', 'audience'],
        count: 'TokensVerified',
        run: (event, d) => verifyToken(d, directToken(event), { audience: event.audience }),
        failure: (body) => ({ valid: false, ...body }),
      },
    },
  );
}

export const handler = createHandler(atColdStart(buildDependencies), undefined, emfMetrics());
