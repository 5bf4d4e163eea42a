// The OpenAPI 3.1 document of the whole API, generated from the route table so it cannot drift from what
// the functions serve; GET /openapi.json answers it.

import { EXPIRY_TYPES, EXPIRY_TYPES_DESCRIPTION } from '../core/expiry-models.ts';
import { REFUSALS } from '../core/usage.ts';
import { type Access, ROUTES, type Route } from './routes.ts';

interface Operation {
  summary: string;
  /** The success status; its body schema, when there is one. */
  status: 200 | 201 | 204 | 301;
  schema?: string;
}

/** What each route does, by route id; a test checks that every route has one and no other. */
export const OPERATIONS: Readonly<Record<string, Operation>> = {
  createEcosystem: {
    summary: 'Create an ecosystem and its first server token',
    status: 201,
    schema: 'EcosystemCreated',
  },
  listEcosystems: { summary: 'List the ecosystems (account token only)', status: 200, schema: 'Ecosystems' },
  getEcosystem: { summary: 'Read an ecosystem', status: 200, schema: 'Ecosystem' },
  deleteEcosystem: { summary: 'Delete an ecosystem; every token of it stops verifying', status: 204 },
  createServerToken: { summary: 'Add a server token (rotation)', status: 201, schema: 'ServerTokenCreated' },
  listServerTokens: {
    summary: 'List server tokens, never their secrets',
    status: 200,
    schema: 'ServerTokens',
  },
  deleteServerToken: { summary: 'Delete a server token', status: 204 },
  createUser: { summary: 'Create a user with a generated id', status: 201, schema: 'User' },
  putUser: { summary: 'Create (201) or replace (200) a user', status: 200, schema: 'User' },
  getUser: { summary: 'Read a user', status: 200, schema: 'User' },
  deleteUser: { summary: 'Delete a user; every token of the user stops verifying', status: 204 },
  issueToken: { summary: 'Issue a user token', status: 200, schema: 'IssuedToken' },
  issueTokenCompat: { summary: 'Issue a user token (compatible route)', status: 200, schema: 'IssuedToken' },
  listUserTokens: {
    summary: "List a user's live tokens (never the tokens themselves)",
    status: 200,
    schema: 'UserTokens',
  },
  getUsage: {
    summary: 'Usage: daily outcome and refusal counts, monthly active identities',
    status: 200,
    schema: 'Usage',
  },
  revokeUserTokens: { summary: 'Revoke every token of a user issued so far', status: 204 },
  revokeTokenById: { summary: 'Revoke one token by id', status: 204 },
  verifyToken: { summary: 'Verify a user token (counts as a use)', status: 200, schema: 'VerifiedToken' },
  refreshToken: { summary: 'Rotate a user token to a successor', status: 200, schema: 'IssuedToken' },
  revokeToken: { summary: 'Revoke the presented user token', status: 204 },
  jwks: { summary: 'The public signing keys (JWKS)', status: 200, schema: 'Jwks' },
  openapi: { summary: 'This document', status: 200 },
  consoleRedirect: { summary: 'Redirects to /console/', status: 301 },
  console: { summary: 'The console page (HTML): usage charts, user lookup, revoke buttons', status: 200 },
  consoleHtml: { summary: 'The console page (HTML)', status: 200 },
  consoleCss: { summary: "The console's style sheet", status: 200 },
  consoleJs: { summary: "The console's script", status: 200 },
  me: { summary: 'Who the Lambda authorizer let through (protected example)', status: 200, schema: 'Me' },
};

const SECURITY: Record<Access, Record<string, string[]>[]> = {
  account: [{ accountToken: [] }],
  ecosystem: [{ accountToken: [] }, { serverToken: [] }],
  user: [{ userToken: [] }],
  public: [],
};

const str = { type: 'string' };
const time = { type: 'string', format: 'date-time' };
const nullableTime = { type: ['string', 'null'], format: 'date-time' };
const object = { type: 'object' };
const expiryType = { type: 'string', enum: EXPIRY_TYPES, description: EXPIRY_TYPES_DESCRIPTION };
const date = { type: 'string', format: 'date' };
const count = { type: 'integer', minimum: 0 };
const obj = (properties: Record<string, unknown>) => ({
  type: 'object',
  properties,
  required: Object.keys(properties),
});

const issued = obj({
  token: str,
  tokenId: str,
  expiryType,
  ttl: { type: ['integer', 'null'] },
  expiresAt: nullableTime,
  absoluteExpiresAt: nullableTime,
  lastUsedAt: nullableTime,
});

const SCHEMAS = {
  Error: obj({ error: obj({ code: str, message: str }) }),
  Ecosystem: obj({ ecosystemId: str, name: { type: ['string', 'null'] }, createdAt: time }),
  EcosystemCreated: obj({
    ecosystemId: str,
    name: { type: ['string', 'null'] },
    serverTokenId: str,
    serverToken: str,
    createdAt: time,
  }),
  ServerTokenCreated: obj({ serverTokenId: str, serverToken: str, createdAt: time }),
  ServerTokens: obj({ serverTokens: { type: 'array', items: obj({ serverTokenId: str, createdAt: time }) } }),
  User: obj({ ecosystemId: str, userId: str, metadata: object, createdAt: time }),
  IssuedToken: issued,
  VerifiedToken: obj({
    valid: { const: true },
    tokenId: str,
    userId: str,
    ecosystemId: str,
    expiryType,
    expiresAt: nullableTime,
    absoluteExpiresAt: nullableTime,
    lastUsedAt: nullableTime,
    claims: object,
    metadata: object,
  }),
  Jwks: obj({
    keys: { type: 'array', items: obj({ kty: str, crv: str, x: str, y: str, kid: str, alg: str, use: str }) },
  }),
  Me: obj({ userId: str, ecosystemId: str, tokenId: str, expiryType, claims: object }),
  Ecosystems: obj({
    ecosystems: {
      type: 'array',
      items: obj({ ecosystemId: str, name: { type: ['string', 'null'] }, createdAt: time }),
    },
  }),
  UserTokens: obj({
    tokens: {
      type: 'array',
      items: obj({
        tokenId: str,
        expiryType,
        issuedAt: time,
        expiresAt: nullableTime,
        absoluteExpiresAt: nullableTime,
        lastUsedAt: nullableTime,
        status: { type: 'string', enum: ['active', 'rotated', 'revoked'] },
      }),
    },
  }),
  Usage: obj({
    ecosystemId: str,
    from: date,
    to: date,
    days: {
      type: 'array',
      items: obj({
        date,
        newActiveIdentities: count,
        issued: count,
        verified: count,
        refreshed: count,
        revoked: count,
        refused: obj(Object.fromEntries(REFUSALS.map((code) => [code, count]))),
        noIdentity: count,
      }),
    },
    months: {
      type: 'array',
      items: obj({ month: { type: 'string', pattern: '^\\d{4}-\\d{2}$' }, activeIdentities: count }),
    },
  }),
};

const BODY_MEMBERS: Record<string, unknown> = { name: str, metadata: object, claims: object, token: str };
const QUERY_FIELDS: Record<string, unknown> = {
  expiryType,
  ttl: { type: 'integer', minimum: 1 },
  maxTtl: { type: 'integer', minimum: 1 },
  from: date,
  to: date,
};

function parameters(route: Route) {
  const inPath = [...route.path.matchAll(/\{([a-zA-Z]+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: str,
  }));
  const inQuery = route.query.map((name) => ({
    name,
    in: 'query',
    required: false,
    schema: QUERY_FIELDS[name],
  }));
  return [...inPath, ...inQuery];
}

function operation(route: Route) {
  const op = OPERATIONS[route.id];
  if (op === undefined) throw new Error(`route ${route.id} has no OpenAPI operation`);
  const success =
    op.schema === undefined
      ? { description: op.summary }
      : {
          description: op.summary,
          content: { 'application/json': { schema: { $ref: `#/components/schemas/${op.schema}` } } },
        };
  const body = route.body;
  return {
    operationId: route.id,
    summary: op.summary,
    'x-tessera-function': route.function,
    security: SECURITY[route.access],
    parameters: parameters(route),
    ...(body === null || body.length === 0
      ? {}
      : {
          requestBody: {
            required: route.id === 'createUser',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  properties: Object.fromEntries(body.map((name) => [name, BODY_MEMBERS[name] ?? {}])),
                },
              },
            },
          },
        }),
    responses: {
      [String(op.status)]: success,
      ...(route.id === 'putUser' ? { '201': success } : {}),
      default: { $ref: '#/components/responses/Error' },
    },
  };
}

/**
 * The OpenAPI 3.1 document of every route in the table.
 *
 * @example
 * const doc = openApiDocument();
 * Object.keys(doc.paths); // ['/v1/ecosystems', '/v1/ecosystems/{ecosystemId}', …]
 */
export function openApiDocument(routes: readonly Route[] = ROUTES) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, unknown>)[route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tessera',
      version: '1',
      description:
        'User tokens: issue, verify, refresh and revoke ES256 JWTs. Errors: {"error":{"code","message"}}.',
    },
    paths,
    components: {
      schemas: SCHEMAS,
      responses: {
        Error: {
          description: 'An error with a stable code (see the API reference)',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
      securitySchemes: {
        accountToken: { type: 'http', scheme: 'bearer', description: 'The account token' },
        serverToken: { type: 'http', scheme: 'bearer', description: "An ecosystem's server token" },
        userToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A user token' },
      },
    },
  };
}
