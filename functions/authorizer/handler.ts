// The authorizer function: a Lambda authorizer that lets a request through when its bearer user token
// verifies (a use, for SlidingTtl), for HTTP APIs (payload 2.0, simple responses) and REST APIs (TOKEN and
// REQUEST types, an IAM policy), with the user's identity as the context the protected route receives.
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { bearerToken } from '../core/credentials.ts';
import { type ErrorCode, isTesseraError } from '../core/errors.ts';
import { verifyToken } from '../core/verify-token.ts';
import { eventKind } from '../http/events.ts';
import { type DepsSource, memoizeDeps } from '../http/http-function.ts';
import { latencySince, RequestLog } from '../http/log-line.ts';
import { emfMetrics, NO_METRICS, type TokenMetrics } from '../http/metrics.ts';
import { atColdStart } from '../runtime/cold-start.ts';
import {
  buildTokenDependencies as buildDependencies,
  type TokenFunctionDeps,
} from '../runtime/dependencies.ts';
import {
  type AuthorizerContext,
  allowPolicy,
  authorizerContext,
  headerValue,
  type IamPolicyAnswer,
  type SimpleAnswer,
} from './answers.ts';

/** What an authorizer event carries that this function reads. */
interface AuthorizerEvent {
  type?: string;
  authorizationToken?: string;
  methodArn?: string;
  routeArn?: string;
  identitySource?: string[] | string | null;
  headers?: Record<string, string | undefined> | null;
  multiValueHeaders?: Record<string, string[] | undefined> | null;
  token?: unknown;
}

type Outcome = { context: AuthorizerContext } | { code: ErrorCode };

/** REST APIs need this exact message to answer 401; anything else thrown becomes a 500. */
const UNAUTHORIZED = 'Unauthorized';

export type AuthorizerHandler = (
  event: unknown,
  context?: Context,
) => Promise<SimpleAnswer | IamPolicyAnswer>;

/** The bearer token of an authorizer event, wherever its kind puts the Authorization header. */
function tokenOf(event: AuthorizerEvent, kind: string): string | undefined {
  if (kind === 'authorizer-token') return bearerToken(event.authorizationToken);
  if (kind === 'direct') return typeof event.token === 'string' ? event.token : undefined;
  const header = headerValue(event.headers, event.multiValueHeaders, 'authorization');
  // An HTTP API also hands over the configured identity source ($request.header.Authorization).
  const source = Array.isArray(event.identitySource) ? event.identitySource[0] : undefined;
  return bearerToken(header ?? source);
}

/**
 * The authorizer handler with the given dependencies (tests and the local server inject theirs).
 *
 * @example
 * const authorize = createHandler(deps);
 * await authorize(httpApiAuthorizerEvent); // { isAuthorized: true, context: { userId, … } }
 */
export function createHandler(
  deps: DepsSource<TokenFunctionDeps> = buildDependencies,
  logger: Logger = new Logger({ serviceName: 'tessera' }),
  metrics: TokenMetrics = NO_METRICS,
): AuthorizerHandler {
  const getDeps = memoizeDeps(deps);
  const log = new RequestLog(logger);

  const check = async (token: string | undefined): Promise<Outcome> => {
    if (token === undefined) return { code: 'UNAUTHORIZED' };
    try {
      const deps = await getDeps();
      // The audience the deployment requires of every token (TESSERA_AUTHORIZER_AUDIENCE), if any.
      const verified = await verifyToken(deps, token, { audience: deps.config.authorizerAudience });
      return { context: authorizerContext(verified) };
    } catch (err) {
      if (isTesseraError(err) && err.code.startsWith('TOKEN_')) return { code: err.code };
      logger.error('authorizer failed', { error: err as Error });
      // Not the caller's fault: API Gateway answers 500 and the request does not pass.
      throw new Error('The authorizer could not check the token; see its logs.');
    }
  };

  const authorize = async (raw: unknown, context: Context): Promise<SimpleAnswer | IamPolicyAnswer> => {
    const started = performance.now();
    const kind = eventKind(raw);
    const event = (typeof raw === 'object' && raw !== null ? raw : {}) as AuthorizerEvent;
    const outcome = await check(tokenOf(event, kind));
    const allowed = 'context' in outcome;
    const code = allowed ? undefined : outcome.code;
    // One line per call, the count in it as EMF members (functions/http/log-line.ts).
    const now = Date.now();
    const emf = allowed ? metrics.counted('TokensVerified', now) : metrics.refused(code, now);
    const fields = { function: 'authorizer', kind, allowed, code, latencyMs: latencySince(started) };
    log.write('authorize', context, fields, emf);
    if (kind === 'authorizer-token' || kind === 'authorizer-request') {
      if (!allowed) throw new Error(UNAUTHORIZED);
      return allowPolicy(outcome.context, event.methodArn ?? '');
    }
    return allowed ? { isAuthorized: true, context: outcome.context } : { isAuthorized: false };
  };
  return (event, context) => authorize(event, context ?? ({} as Context));
}

export const handler = createHandler(atColdStart(buildDependencies), undefined, emfMetrics());
