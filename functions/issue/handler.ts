// The issue function: POST /v1/ecosystems/{ecosystemId}/users/{userId}/tokens, its compatible route, and
// the direct event {"ecosystemId","userId","expiryType"?,"ttl"?,"maxTtl"?,"claims"?,"audience"?,"label"?}
// from another Lambda.
import type { Logger } from '@aws-lambda-powertools/logger';
import type { BaseDeps, Deps } from '../core/deps.ts';
import { parseExpiry } from '../core/expiry.ts';
import { assertEcosystemId, assertUserId } from '../core/ids.ts';
import { issueToken } from '../core/issue-token.ts';
import {
  type Action,
  createHttpFunction,
  type DepsSource,
  type DirectAction,
  json,
} from '../http/http-function.ts';
import { emfMetrics, type TokenMetrics } from '../http/metrics.ts';
import { atColdStart } from '../runtime/cold-start.ts';
import { buildDependencies } from '../runtime/dependencies.ts';

/** What issuing uses: the directory's ecosystem and user, the token state, usage, and server tokens for the
 * credential its routes take. */
type IssueDeps = BaseDeps & Pick<Deps, 'directory' | 'tokens' | 'usage' | 'serverTokens'>;

const issue: Action<IssueDeps> = async ({ params, query, body }, deps) => {
  const expiry = parseExpiry(query, deps.config.maxTtlSeconds);
  const issued = await issueToken(deps, {
    ecosystemId: params.ecosystemId ?? '',
    userId: params.userId ?? '',
    expiry,
    claims: body.claims,
    audience: body.audience,
    label: body.label,
  });
  return json(200, issued);
};

/** A direct call is authorized by IAM (lambda:InvokeFunction), so it names the ecosystem itself. */
export const issueDirect: DirectAction<IssueDeps> = {
  members: ['ecosystemId', 'userId', 'expiryType', 'ttl', 'maxTtl', 'claims', 'audience', 'label'],
  count: 'TokensIssued',
  run: async (event, deps) => {
    const ecosystemId = assertEcosystemId(event.ecosystemId);
    const userId = assertUserId(event.userId);
    const expiry = parseExpiry(event, deps.config.maxTtlSeconds);
    const { claims, audience, label } = event;
    return issueToken(deps, { ecosystemId, userId, expiry, claims, audience, label });
  },
};

/**
 * The issue handler with the given dependencies (tests and the local server inject theirs).
 *
 * @example
 * const handler = createHandler(deps);
 * await handler({ ecosystemId: 'eco1', userId: 'alice', ttl: 900 }); // { token, tokenId, … }
 */
export function createHandler(
  deps: DepsSource<IssueDeps> = buildDependencies,
  logger?: Logger,
  metrics?: TokenMetrics,
) {
  return createHttpFunction('issue', { issueToken: issue, issueTokenCompat: issue }, deps, {
    logger,
    metrics,
    direct: issueDirect,
  });
}

export const handler = createHandler(atColdStart(buildDependencies), undefined, emfMetrics());
