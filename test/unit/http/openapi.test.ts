// The OpenAPI document is generated from the route table: every route has an operation, and no other.
import { describe, expect, it } from 'vitest';
import { OPERATIONS, openApiDocument } from '../../../functions/http/openapi.ts';
import { ROUTES } from '../../../functions/http/routes.ts';

describe('openApiDocument', () => {
  it('describes every route id of the table, and no id the table lacks', () => {
    expect(Object.keys(OPERATIONS).sort()).toEqual(ROUTES.map((r) => r.id).sort());
  });

  it('gives every operation its id, its success status and a default error answer', () => {
    const doc = openApiDocument();
    for (const route of ROUTES) {
      const op = doc.paths[route.path]?.[route.method.toLowerCase()] as {
        operationId: string;
        responses: Record<string, unknown>;
      };
      expect(op.operationId).toBe(route.id);
      expect(Object.keys(op.responses)).toContain(String(OPERATIONS[route.id]?.status));
      expect(op.responses.default).toEqual({ $ref: '#/components/responses/Error' });
    }
  });

  it('refuses to describe a route it has no operation for', () => {
    const stray = { ...ROUTES[0], id: 'stray' } as (typeof ROUTES)[number];
    expect(() => openApiDocument([stray])).toThrow(/stray/);
  });
});
