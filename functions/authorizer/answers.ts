// What the authorizer answers API Gateway: the context every protected route receives, the HTTP API simple
// response, and the REST API IAM policy.
import type { VerifiedToken } from '../core/verify-token.ts';

/** Strings only: API Gateway passes an authorizer context of strings, numbers and booleans. */
export interface AuthorizerContext {
  [name: string]: string;
  userId: string;
  ecosystemId: string;
  tokenId: string;
  expiryType: string;
  /** The token's extra claims as a JSON string. */
  claims: string;
  /** The user's current metadata as a JSON string. */
  metadata: string;
  /** The token's audiences as a JSON string: a list, or `null` when it has none. */
  audience: string;
}

export type SimpleAnswer = { isAuthorized: true; context: AuthorizerContext } | { isAuthorized: false };

export interface IamPolicyAnswer {
  principalId: string;
  policyDocument: {
    Version: '2012-10-17';
    Statement: { Action: 'execute-api:Invoke'; Effect: 'Allow'; Resource: string }[];
  };
  context: AuthorizerContext;
}

/**
 * The context of a verified token.
 *
 * @example
 * authorizerContext(await verifyToken(deps, token)).claims; // '{"role":"admin"}'
 */
export function authorizerContext(verified: VerifiedToken): AuthorizerContext {
  return {
    userId: verified.userId,
    ecosystemId: verified.ecosystemId,
    tokenId: verified.tokenId,
    expiryType: verified.expiryType,
    claims: JSON.stringify(verified.claims),
    metadata: JSON.stringify(verified.metadata),
    audience: JSON.stringify(verified.audience),
  };
}

/**
 * The stage-wide resource of a method ARN: `arn:…:apiId/stage/GET/v1/me` gives `arn:…:apiId/stage/*`.
 * The decision depends on the token alone, so it holds for every method of the stage; were the policy
 * cached for one method only, a cached answer would wrongly deny the user's next route.
 */
export function stageResource(methodArn: string): string {
  const [prefix, stage] = methodArn.split('/');
  return prefix === undefined || stage === undefined ? methodArn : `${prefix}/${stage}/*`;
}

/**
 * The IAM policy a REST API authorizer answers for a verified token.
 *
 * @example
 * allowPolicy(context, 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET/v1/me').principalId;
 */
export function allowPolicy(context: AuthorizerContext, methodArn: string): IamPolicyAnswer {
  return {
    principalId: context.userId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: stageResource(methodArn) }],
    },
    context,
  };
}

/** A header by case-insensitive name; REST events keep the client's casing, and may repeat headers. */
export function headerValue(
  headers: Record<string, string | undefined> | null | undefined,
  multiValueHeaders: Record<string, string[] | undefined> | null | undefined,
  name: string,
): string | undefined {
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (key.toLowerCase() === name && typeof value === 'string') return value;
  }
  for (const [key, values] of Object.entries(multiValueHeaders ?? {})) {
    if (key.toLowerCase() === name && Array.isArray(values)) return values[0];
  }
  return undefined;
}
