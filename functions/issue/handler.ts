// The issue function: POST /v1/ecosystems/{ecosystemId}/users/{userId}/tokens and its compatible route.
import type { Logger } from '@aws-lambda-powertools/logger';
import { parseExpiry } from '../core/expiry.ts';
import { issueToken } from '../core/issue-token.ts';
import { type Action, createHttpFunction, type DepsSource, json } from '../http/http-function.ts';
import { buildDependencies } from '../runtime/dependencies.ts';

const issue: Action = async ({ params, query, body }, deps) => {
  const expiry = parseExpiry(query, deps.config.maxTtlSeconds);
  const issued = await issueToken(deps, {
    ecosystemId: params.ecosystemId ?? '',
    userId: params.userId ?? '',
    expiry,
    claims: body.claims,
  });
  return json(200, issued);
};

export function createHandler(deps: DepsSource = buildDependencies, logger?: Logger) {
  return createHttpFunction('issue', { issueToken: issue, issueTokenCompat: issue }, deps, logger);
}

export const handler = createHandler();
