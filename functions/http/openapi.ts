// The OpenAPI 3.1 document of the API, derived from the route declarations (routes-*.ts) so it cannot drift
// from what the functions serve: paths, parameters, request bodies, answers and the error codes of each
// route, every schema converted from the valibot schema a declaration names. GET /openapi.json answers it; the
// converter (@valibot/to-json-schema) is imported here only, so it is in the keys function's bundle alone.
import { type ConversionConfig, toJsonSchema, toJsonSchemaDefs } from '@valibot/to-json-schema';
import { type GenericSchema, getDescription } from 'valibot';
import type { ErrorCode } from '../core/errors.ts';
import { type Access, errorCodesOf, pathParameters, type Route } from './route-definition.ts';
import { ROUTES } from './routes.ts';
import {
  ANSWERS,
  type AnswerName,
  BODY_MEMBERS,
  membersSchema,
  PATH_PARAMETERS,
  QUERY_FIELDS,
} from './schemas.ts';
import { STATUS_OF } from './status.ts';

type JsonSchema = Record<string, unknown>;

/** The named answers become components/schemas, and every use of one a $ref to it. */
const CONVERSION: ConversionConfig = {
  target: 'draft-2020-12',
  definitions: ANSWERS,
  overrideRef: ({ referenceId }) => `#/components/schemas/${referenceId}`,
  // `type` first, as people write JSON Schema (the converter puts a picklist's `enum` before it).
  overrideSchema: ({ jsonSchema }) =>
    'type' in jsonSchema ? { type: jsonSchema.type, ...jsonSchema } : undefined,
};

/** One schema inline, without the `$schema` and `$defs` the converter adds to a whole document. */
function schemaOf(schema: GenericSchema): JsonSchema {
  const { $schema: _, $defs: __, ...rest } = toJsonSchema(schema, CONVERSION) as JsonSchema;
  return rest;
}

const SECURITY: Record<Access, Record<string, string[]>[]> = {
  account: [{ accountToken: [] }],
  ecosystem: [{ accountToken: [] }, { serverToken: [] }],
  user: [{ userToken: [] }],
  public: [],
};

function security(route: Route): Record<string, string[]>[] {
  // The token in the body, or as the bearer: `{}` is the alternative of no credential at all.
  if (route.request.bearer === 'userToken') return [{ userToken: [] }, {}];
  return SECURITY[route.access];
}

function pathParameter(route: Route, name: string) {
  const schema = PATH_PARAMETERS[name];
  if (schema === undefined) throw new Error(`route ${route.id}: path parameter {${name}} has no schema`);
  return { name, in: 'path', required: true, schema: schemaOf(schema) };
}

function parameters(route: Route) {
  const inPath = pathParameters(route.path).map((name) => pathParameter(route, name));
  const inQuery = (route.request.query ?? []).map((name) => {
    const field = QUERY_FIELDS[name];
    return { name, in: 'query', required: field.type !== 'optional', schema: schemaOf(field) };
  });
  return [...inPath, ...inQuery];
}

function requestBody(route: Route) {
  const members = route.request.body ?? [];
  // A body with no members (createServerToken) is `{}` or nothing: there is nothing to describe.
  if (members.length === 0) return {};
  const schema = schemaOf(membersSchema(BODY_MEMBERS, members));
  const required = Array.isArray(schema.required) && schema.required.length > 0;
  return { requestBody: { required, content: { 'application/json': { schema } } } };
}

/** The codes a route can answer, by status: one response per status, its code listed in the schema. */
function codesByStatus(route: Route): Map<number, ErrorCode[]> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorCodesOf(route)) {
    const status = STATUS_OF[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return byStatus;
}

/** What a route answers itself: described by its schema's own description, else by the route's summary. */
function answer(route: Route, name: AnswerName | null) {
  const description = (name && getDescription(ANSWERS[name])) ?? route.summary;
  return name === null
    ? { description }
    : { description, content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } } };
}

/** The error envelope, its code narrowed to those the route answers with one status. */
function refusal(codes: readonly ErrorCode[]) {
  return {
    allOf: [{ $ref: '#/components/schemas/Error' }],
    properties: { error: { properties: { code: { enum: codes } } } },
  };
}

function responses(route: Route) {
  const out: Record<string, unknown> = {};
  for (const [status, schema] of Object.entries(route.answers)) out[status] = answer(route, schema);
  for (const [status, codes] of codesByStatus(route)) {
    const declared = route.answers[status];
    const description = `${codes.join(', ')} (see the API reference)`;
    // A status the route also answers with a body of its own (API Gateway's refusals on /v1/me): either.
    out[String(status)] = declared
      ? {
          description: `${answer(route, declared).description} Or ${description}`,
          content: {
            'application/json': {
              schema: { anyOf: [{ $ref: `#/components/schemas/${declared}` }, refusal(codes)] },
            },
          },
        }
      : { description, content: { 'application/json': { schema: refusal(codes) } } };
  }
  out.default = { $ref: '#/components/responses/Error' };
  return out;
}

function operation(route: Route) {
  return {
    operationId: route.id,
    summary: route.summary,
    'x-tessera-function': route.function,
    security: security(route),
    parameters: parameters(route),
    ...requestBody(route),
    responses: responses(route),
  };
}

/**
 * The OpenAPI 3.1 document of every route that is part of the API (not the `internal` ones).
 *
 * @example
 * const doc = openApiDocument();
 * Object.keys(doc.paths); // ['/v1/ecosystems', '/v1/ecosystems/{ecosystemId}', …]
 */
export function openApiDocument(routes: readonly Route[] = ROUTES) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    if (route.internal) continue;
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
    // Relative, so the document holds wherever it is served from (the stack's HTTP API URL, a custom domain,
    // the local server) without knowing its host; '/' because the stack's $default stage serves every route
    // at the root, as the local server does. A relative URL is relative to where the document is served:
    // https://spec.openapis.org/oas/v3.1.0#server-object
    servers: [{ url: '/', description: 'The host that serves this document' }],
    paths,
    components: {
      schemas: toJsonSchemaDefs(ANSWERS, CONVERSION),
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
