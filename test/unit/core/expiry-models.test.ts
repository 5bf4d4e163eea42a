// Each expiry model's record (functions/core/expiry-models.ts) against what the service does with a token
// of it: issue one of every model, read it back, use it, and check the record's durations, use recording,
// signed `exp`, deadlines and offline verdict; and the OpenAPI document lists exactly the records.
import { describe, expect, it } from 'vitest';
import { deadlinesOf, parseExpiry } from '../../../functions/core/expiry.ts';
import {
  EXPIRY_MODELS,
  EXPIRY_TYPES,
  EXPIRY_TYPES_DESCRIPTION,
  isExpiryType,
} from '../../../functions/core/expiry-models.ts';
import { decodeToken } from '../../../functions/core/token-codec.ts';
import { verifyToken } from '../../../functions/core/verify-token.ts';
import { openApiDocument } from '../../../functions/http/openapi.ts';
import { issueFor, seededDeps } from '../../helpers/deps.ts';

const MAX = 31_536_000;

describe('EXPIRY_MODELS', () => {
  it.each(EXPIRY_TYPES)('%s: its record says what issue, the token and a use do', async (name) => {
    const model = EXPIRY_MODELS[name];
    const deps = await seededDeps();
    const issued = await issueFor(deps, { expiryType: name, ttl: '600' });
    const { claims } = await decodeToken(issued.token, deps.keys, deps.config.issuer);
    const record = await deps.tokens.getToken(issued.tokenId);
    if (record === undefined) throw new Error('the issued token has no record');

    expect(model.name).toBe(name);
    expect(issued.ttl).toBe(model.takesTtl ? 600 : null);
    expect(issued.lastUsedAt !== null).toBe(model.recordsUse);
    expect(claims.exp ?? null).toBe(model.signedDeadline(record));
    expect(claims.exp !== undefined).toBe(model.exp === 'always');
    expect(model.deadlines(record)).toEqual(deadlinesOf(record));
    // Only a token whose one deadline is signed in, and moved by no use, can be judged with the JWKS alone.
    expect(model.checkableOffline).toBe(model.exp === 'always' && !model.recordsUse);

    deps.clock.advance(100);
    const used = await verifyToken(deps, issued.token);
    expect(used.expiresAt !== issued.expiresAt).toBe(model.recordsUse && model.takesTtl);
  });

  it.each(EXPIRY_TYPES)(
    '%s: takes maxTtl only when its record says so, and then signs it in',
    async (name) => {
      const model = EXPIRY_MODELS[name];
      const raw = { expiryType: name, ttl: '600', maxTtl: '1200' };
      if (!model.takesMaxTtl) {
        expect(() => parseExpiry(raw, MAX)).toThrow(
          expect.objectContaining({ code: 'TOKEN_DURATION_INVALID' }),
        );
        return;
      }
      const deps = await seededDeps();
      const { token } = await issueFor(deps, raw);
      const { claims } = await decodeToken(token, deps.keys, deps.config.issuer);
      expect(claims.exp).toBe(claims.iat + 1200);
      expect(model.exp).not.toBe('never');
    },
  );

  it('names the models case-sensitively, and the OpenAPI document lists exactly them', () => {
    expect(EXPIRY_TYPES).toEqual(['Infinite', 'FixedTtl', 'SlidingTtl']);
    expect([isExpiryType('FixedTtl'), isExpiryType('fixedttl'), isExpiryType('toString')]).toEqual([
      true,
      false,
      false,
    ]);
    const schema = { type: 'string', enum: EXPIRY_TYPES, description: EXPIRY_TYPES_DESCRIPTION };
    expect(JSON.stringify(openApiDocument())).toContain(JSON.stringify(schema));
    for (const name of EXPIRY_TYPES) expect(EXPIRY_TYPES_DESCRIPTION).toContain(`${name}`);
  });
});
