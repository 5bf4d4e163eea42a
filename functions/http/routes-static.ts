// The keys function's routes: the JWKS, the OpenAPI document, and the console's static files (served,
// but not part of the API, so `internal`: the OpenAPI document leaves them out).
import type { Route } from './route-definition.ts';

const CONSOLE = {
  function: 'keys',
  access: 'public',
  request: {},
  answers: { 200: null },
  errors: ['ROUTE_NOT_FOUND'],
  internal: true,
} as const satisfies Partial<Route>;

export const STATIC_ROUTES = [
  {
    id: 'jwks',
    method: 'GET',
    path: '/.well-known/jwks.json',
    function: 'keys',
    access: 'public',
    summary: 'The public signing keys (JWKS)',
    request: {},
    answers: { 200: 'Jwks' },
    errors: [],
  },
  {
    id: 'openapi',
    method: 'GET',
    path: '/openapi.json',
    function: 'keys',
    access: 'public',
    summary: 'This document',
    request: {},
    answers: { 200: 'OpenApiDocument' },
    errors: [],
  },
  // The console's static page (functions/console); it calls the routes above with a pasted credential.
  // API Gateway cannot route a path that ends in '/' (the stack prints the console URL as '…/console'),
  // so '/console' redirects to '/console/', where the page's relative links resolve.
  {
    ...CONSOLE,
    id: 'consoleRedirect',
    method: 'GET',
    path: '/console',
    summary: 'Redirects to /console/',
    answers: { 301: null },
    errors: [],
  },
  {
    ...CONSOLE,
    id: 'console',
    method: 'GET',
    path: '/console/',
    summary: 'The console page (HTML): usage charts, user lookup, revoke buttons',
  },
  {
    ...CONSOLE,
    id: 'consoleHtml',
    method: 'GET',
    path: '/console/index.html',
    summary: 'The console page (HTML)',
  },
  {
    ...CONSOLE,
    id: 'consoleCss',
    method: 'GET',
    path: '/console/console.css',
    summary: "The console's style sheet",
  },
  {
    ...CONSOLE,
    id: 'consoleJs',
    method: 'GET',
    path: '/console/console.js',
    summary: "The console's script",
  },
] as const satisfies readonly Route[];
