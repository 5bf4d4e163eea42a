// The token-provider routes (docs/API.md, "Provider tokens"): an ecosystem's providers, configured through
// the admin function, and the exchange of a user token for a provider token, served by the exchange function
// alone (the only one that may decrypt provider secrets). Each declared once; routes.ts gathers them.
import type { ErrorCode } from '../core/errors.ts';
import { PROVIDER_BODY_MEMBERS } from '../core/providers-model.ts';
import type { Route } from './route-definition.ts';
import { ECO } from './routes-directory.ts';
import { PRESENTED_TOKEN_ERRORS } from './routes-tokens.ts';

const PROVIDER = `${ECO}/providers/{providerId}`;
/** What a route naming one provider can refuse: its id, a missing ecosystem, a missing provider. */
const ONE_PROVIDER_ERRORS = [
  'PROVIDER_INVALID',
  'ECOSYSTEM_NOT_FOUND',
  'PROVIDER_NOT_FOUND',
] as const satisfies readonly ErrorCode[];

export const PROVIDER_ROUTES = [
  {
    id: 'listProviders',
    method: 'GET',
    path: `${ECO}/providers`,
    function: 'admin',
    access: 'ecosystem',
    summary: "List an ecosystem's token providers (never their secrets)",
    request: {},
    answers: { 200: 'Providers' },
    errors: ['ECOSYSTEM_NOT_FOUND'],
  },
  {
    id: 'putProvider',
    method: 'PUT',
    path: PROVIDER,
    function: 'admin',
    access: 'ecosystem',
    summary: 'Create (201) or replace (200) a token provider; its secret is kept encrypted, never answered',
    request: { body: PROVIDER_BODY_MEMBERS },
    answers: { 200: 'Provider', 201: 'Provider' },
    errors: ['PROVIDER_INVALID', 'ECOSYSTEM_NOT_FOUND'],
  },
  {
    id: 'getProvider',
    method: 'GET',
    path: PROVIDER,
    function: 'admin',
    access: 'ecosystem',
    summary: 'Read a token provider (never its secret)',
    request: {},
    answers: { 200: 'Provider' },
    errors: ONE_PROVIDER_ERRORS,
  },
  {
    id: 'deleteProvider',
    method: 'DELETE',
    path: PROVIDER,
    function: 'admin',
    access: 'ecosystem',
    summary: 'Delete a token provider; exchanges for it stop at once',
    request: {},
    answers: { 204: null },
    errors: ONE_PROVIDER_ERRORS,
  },
] as const satisfies readonly Route[];

export const EXCHANGE_ROUTES = [
  {
    id: 'exchangeToken',
    method: 'POST',
    path: '/v1/tokens/exchange',
    function: 'exchange',
    access: 'public',
    summary: "Exchange a user token for a provider's token for the same user (counts as a use)",
    request: { body: ['token', 'provider', 'audience'], bearer: 'userToken' },
    answers: { 200: 'ExchangedToken' },
    // The user token's refusals are verify's (it is verified as verify does), then the provider's.
    errors: [...PRESENTED_TOKEN_ERRORS, 'TOKEN_AUDIENCE_INVALID', 'PROVIDER_INVALID', 'PROVIDER_NOT_FOUND'],
  },
] as const satisfies readonly Route[];
