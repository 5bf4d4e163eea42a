// The OpenAPI document is derived from the route declarations: every route of the API has its operation
// (the console's files none), with the parameters, body, answers and error codes its declaration gives.
import { describe, expect, it } from 'vitest';
import { EXPIRY_TYPES } from '../../../functions/core/expiry-models.ts';
import { openApiDocument } from '../../../functions/http/openapi.ts';
import { errorCodesOf, type Route } from '../../../functions/http/route-definition.ts';
import { ROUTES } from '../../../functions/http/routes.ts';
import { STATUS_OF } from '../../../functions/http/status.ts';

interface Operation {
  operationId: string;
  summary: string;
  security: Record<string, string[]>[];
  parameters: { name: string; in: string; required: boolean; schema: Record<string, unknown> }[];
  requestBody?: { content: { 'application/json': { schema: Record<string, unknown> } } };
  responses: Record<string, { content?: { 'application/json': { schema: Record<string, unknown> } } }>;
}

const doc = openApiDocument();
const operationOf = (route: Route) =>
  (doc.paths[route.path] as Record<string, Operation> | undefined)?.[route.method.toLowerCase()];
const api: readonly Route[] = ROUTES.filter((route) => !('internal' in route));

/** The codes an error response lists, wherever its schema puts the narrowed envelope. */
function codesIn(schema: Record<string, unknown> | undefined): string[] {
  if (schema === undefined) return [];
  if (Array.isArray(schema.anyOf)) return schema.anyOf.flatMap(codesIn);
  const error = (schema.properties as { error?: { properties?: { code?: { enum?: string[] } } } } | undefined)
    ?.error;
  return error?.properties?.code?.enum ?? [];
}

describe('openApiDocument', () => {
  it('has an operation for every route of the API, under its id and summary, and none for the console', () => {
    for (const route of api) {
      expect(operationOf(route)).toMatchObject({ operationId: route.id, summary: route.summary });
    }
    const internal = ROUTES.filter((route) => 'internal' in route);
    const consoleFiles = ROUTES.filter((route) => route.path.startsWith('/console'));
    expect(internal.map((route) => route.id)).toEqual(consoleFiles.map((route) => route.id));
    for (const route of internal) expect(doc.paths[route.path]).toBeUndefined();
  });

  it('answers each declared status, and lists each code the route can answer under that code’s status', () => {
    for (const route of api) {
      const { responses } = operationOf(route) as Operation;
      for (const status of Object.keys(route.answers)) expect(responses).toHaveProperty(status);
      const listed = Object.entries(responses).flatMap(([status, response]) =>
        codesIn(response.content?.['application/json'].schema).map((code) => `${code} ${status}`),
      );
      const expected = errorCodesOf(route).map((code) => `${code} ${STATUS_OF[code]}`);
      expect({ route: route.id, codes: listed.sort() }).toEqual({ route: route.id, codes: expected.sort() });
      expect(responses.default).toEqual({ $ref: '#/components/responses/Error' });
    }
  });

  it('names the path parameters and exactly the query fields each route takes', () => {
    for (const route of api) {
      const names = (operationOf(route) as Operation).parameters.map((p) => `${p.in}:${p.name}`);
      const inPath = [...route.path.matchAll(/\{([a-zA-Z]+)\}/g)].map(([, name]) => `path:${name}`);
      const inQuery = (route.request.query ?? []).map((name) => `query:${name}`);
      expect(names).toEqual([...inPath, ...inQuery]);
    }
    const issue = operationOf(ROUTES.find((r) => r.id === 'issueToken') as Route) as Operation;
    expect(issue.parameters.find((p) => p.name === 'expiryType')?.schema.enum).toEqual([...EXPIRY_TYPES]);
    expect(issue.parameters.find((p) => p.name === 'ttl')?.schema).toMatchObject({
      type: 'integer',
      minimum: 1,
    });
  });

  it('describes each body as the strict object its route takes, and no body where the route takes none', () => {
    for (const route of api) {
      const schema = (operationOf(route) as Operation).requestBody?.content['application/json'].schema;
      const names = route.request.body ?? [];
      if (names.length === 0) {
        expect({ route: route.id, schema }).toEqual({ route: route.id, schema: undefined });
        continue;
      }
      expect(schema?.additionalProperties).toBe(false);
      expect(Object.keys(schema?.properties as object)).toEqual(names);
    }
  });

  it('takes the user token as a bearer as well as in the body on verify, refresh, revoke, revoke-others and exchange', () => {
    const bearer = api.filter((route) => 'bearer' in route.request).map((route) => route.id);
    expect(bearer).toEqual([
      'verifyToken',
      'refreshToken',
      'revokeToken',
      'revokeOtherTokens',
      'exchangeToken',
    ]);
    for (const route of api.filter((r) => bearer.includes(r.id))) {
      expect((operationOf(route) as Operation).security).toEqual([{ userToken: [] }, {}]);
    }
    expect(operationOf(ROUTES.find((r) => r.id === 'me') as Route)?.security).toEqual([{ userToken: [] }]);
  });

  it('names a relative server, and every $ref resolves to a schema of its own components', () => {
    expect(doc.servers).toEqual([{ url: '/', description: expect.any(String) }]);
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/(schemas|responses)\/([^"]+)"/g)];
    expect(refs.length).toBeGreaterThan(20);
    for (const [, kind, name] of refs) {
      expect({ kind, name, found: name !== undefined && name in doc.components[kind as 'schemas'] }).toEqual({
        kind,
        name,
        found: true,
      });
    }
  });

  it('refuses to describe a path parameter it has no schema for', () => {
    const stray = { ...ROUTES[0], path: '/v1/things/{thingId}' } as Route;
    expect(() => openApiDocument([stray])).toThrow(/thingId/);
  });
});
