// The wider revocations: an ecosystem's revocations by issue time (create, list, undo) and the holder's
// "sign out everywhere else" (revoke-others), all served by the admin function. Each declared once.
import type { Route } from './route-definition.ts';
import { ECO } from './routes-directory.ts';
import { PRESENTED_TOKEN_ERRORS } from './routes-tokens.ts';

export const REVOCATION_ROUTES = [
  {
    id: 'createRevocation',
    method: 'POST',
    path: `${ECO}/revocations`,
    function: 'admin',
    access: 'ecosystem',
    summary: 'Revoke every token of the ecosystem issued before an instant',
    request: { body: ['issuedBefore'] },
    answers: { 201: 'Revocation' },
    errors: ['ECOSYSTEM_NOT_FOUND', 'REVOCATION_LIMIT_REACHED'],
  },
  {
    id: 'listRevocations',
    method: 'GET',
    path: `${ECO}/revocations`,
    function: 'admin',
    access: 'ecosystem',
    summary: "List the ecosystem's revocations, newest first",
    request: {},
    answers: { 200: 'Revocations' },
    errors: ['ECOSYSTEM_NOT_FOUND'],
  },
  {
    id: 'deleteRevocation',
    method: 'DELETE',
    path: `${ECO}/revocations/{revocationId}`,
    function: 'admin',
    access: 'ecosystem',
    summary: 'Undo a revocation (tokens revoked otherwise stay revoked)',
    request: {},
    answers: { 204: null },
    errors: ['ECOSYSTEM_NOT_FOUND', 'REVOCATION_NOT_FOUND'],
  },
  {
    id: 'revokeOtherTokens',
    method: 'POST',
    path: '/v1/tokens/revoke-others',
    function: 'admin',
    access: 'public',
    summary: "Revoke every other token of the presented token's user (it and its refreshes keep working)",
    request: { body: ['token'], bearer: 'userToken' },
    answers: { 200: 'RevokedOthers' },
    // The presented token must verify: every refusal of verify's (reuse is refresh's alone).
    errors: PRESENTED_TOKEN_ERRORS,
  },
] as const satisfies readonly Route[];
