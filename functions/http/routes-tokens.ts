// The user-token routes: issue (issue function), list and revoke a user's tokens (admin), verify, refresh
// and revoke by the token itself, and the protected example behind the authorizer. Each declared once.
import type { ErrorCode } from '../core/errors.ts';
import type { Refusal } from '../core/usage.ts';
import type { Route } from './route-definition.ts';
import { USER } from './routes-directory.ts';

/** What issuing can refuse besides the request's shape: the expiry asked for, the claims, whom it is for. */
const ISSUE_ERRORS = [
  'TOKEN_EXPIRATION_TYPE_INVALID',
  'TOKEN_DURATION_INVALID',
  'CLAIMS_INVALID',
  'ECOSYSTEM_NOT_FOUND',
  'USER_NOT_FOUND',
] as const satisfies readonly ErrorCode[];
/**
 * What any route refuses a presented user token with once it checks it as verify does: the token's shape,
 * signature, deadlines and revocation. Each route adds what only it can answer (the audience where one is
 * asked, reuse on refresh). A plain reference, no call, so the route table stays plain data.
 */
export const PRESENTED_TOKEN_ERRORS = [
  'TOKEN_STRUCTURE_INVALID',
  'TOKEN_SIGNATURE_INVALID',
  'TOKEN_EXPIRED',
  'TOKEN_NOT_YET_VALID',
  'TOKEN_REVOKED',
] as const satisfies readonly Refusal[];
/** How a token is asked to expire (the query); its extra claims, audiences and label (the body). */
const ISSUE_REQUEST = {
  query: ['expiryType', 'ttl', 'maxTtl'],
  body: ['claims', 'audience', 'label'],
} as const;

export const ISSUE_ROUTES = [
  {
    id: 'issueToken',
    method: 'POST',
    path: `${USER}/tokens`,
    function: 'issue',
    access: 'ecosystem',
    summary: 'Issue a user token',
    request: ISSUE_REQUEST,
    answers: { 200: 'IssuedToken' },
    errors: ISSUE_ERRORS,
  },
  {
    id: 'issueTokenCompat',
    method: 'POST',
    path: '/api/users/{ecosystemId};{userId}/tokens',
    function: 'issue',
    access: 'ecosystem',
    summary: 'Issue a user token (compatible route)',
    request: ISSUE_REQUEST,
    answers: { 200: 'IssuedToken' },
    errors: ISSUE_ERRORS,
  },
] as const satisfies readonly Route[];

export const USER_TOKEN_ROUTES = [
  {
    id: 'listUserTokens',
    method: 'GET',
    path: `${USER}/tokens`,
    function: 'admin',
    access: 'ecosystem',
    summary: "List a user's live tokens (never the tokens themselves)",
    request: {},
    answers: { 200: 'UserTokens' },
    errors: ['ECOSYSTEM_NOT_FOUND', 'USER_NOT_FOUND'],
  },
  {
    id: 'revokeUserTokens',
    method: 'DELETE',
    path: `${USER}/tokens`,
    function: 'admin',
    access: 'ecosystem',
    summary: 'Revoke every token of a user issued so far',
    request: {},
    answers: { 204: null },
    errors: ['ECOSYSTEM_NOT_FOUND', 'USER_NOT_FOUND'],
  },
  {
    id: 'revokeTokenById',
    method: 'DELETE',
    path: `${USER}/tokens/{tokenId}`,
    function: 'admin',
    access: 'ecosystem',
    summary: 'Revoke one token by id',
    request: {},
    answers: { 204: null },
    errors: ['ECOSYSTEM_NOT_FOUND', 'USER_NOT_FOUND', 'TOKEN_NOT_FOUND'],
  },
] as const satisfies readonly Route[];

export const PRESENTED_TOKEN_ROUTES = [
  {
    id: 'verifyToken',
    method: 'POST',
    path: '/v1/tokens/verify',
    function: 'verify',
    access: 'public',
    summary: 'Verify a user token (counts as a use), optionally for one audience',
    request: { body: ['token', 'audience'], bearer: 'userToken' },
    answers: { 200: 'VerifiedToken' },
    // Every refusal but reuse, which only a refresh detects (a verify then finds the family revoked).
    errors: [...PRESENTED_TOKEN_ERRORS, 'TOKEN_AUDIENCE_INVALID'],
  },
  {
    id: 'refreshToken',
    method: 'POST',
    path: '/v1/tokens/refresh',
    function: 'refresh',
    access: 'public',
    summary: 'Rotate a user token to a successor',
    request: { body: ['token'], bearer: 'userToken' },
    answers: { 200: 'IssuedToken' },
    // Every refusal of a presented token (usage.ts REFUSALS), reuse of a rotated one included, but the
    // audience's: a refresh asks for none.
    errors: [...PRESENTED_TOKEN_ERRORS, 'TOKEN_REUSED'],
  },
  {
    id: 'revokeToken',
    method: 'POST',
    path: '/v1/tokens/revoke',
    function: 'admin',
    access: 'public',
    summary: 'Revoke the presented user token (204 also when it was already revoked, expired or rotated)',
    request: { body: ['token'], bearer: 'userToken' },
    answers: { 204: null },
    // Only authenticity is checked: revoking a token that no longer verifies is not an error.
    errors: ['TOKEN_STRUCTURE_INVALID', 'TOKEN_SIGNATURE_INVALID'],
  },
  // The protected example: the verify function answers from the authorizer's context, no store call.
  {
    id: 'me',
    method: 'GET',
    path: '/v1/me',
    function: 'verify',
    access: 'user',
    summary: 'Who the Lambda authorizer let through (protected example)',
    request: {},
    answers: { 200: 'Me', 401: 'GatewayRefusal', 403: 'GatewayRefusal' },
    errors: [],
  },
] as const satisfies readonly Route[];
