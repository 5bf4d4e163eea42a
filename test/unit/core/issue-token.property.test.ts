// A property of issue and verify together: every claim set issueToken accepts comes back from verifyToken
// exactly, so issue can never hand out a token that its own verifier refuses.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyToken } from '../../../functions/core/verify-token.ts';
import { issueFor, seededDeps } from '../../helpers/deps.ts';

/** Text around the surrogate range, so lone and paired surrogates both turn up. */
const edgyText = fc.string({
  unit: fc.oneof(
    fc.integer({ min: 0xd7f0, max: 0xe00f }).map((c) => String.fromCharCode(c)),
    fc.constant('a'),
  ),
  maxLength: 4,
});
/** An array nested 0 to 40 deep, around the verifier's depth limit of 32. */
const deep = fc.integer({ min: 0, max: 40 }).map((levels) => {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
});
const claimSet = fc.dictionary(
  fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), edgyText),
  fc.oneof(fc.jsonValue({ maxDepth: 6 }), edgyText, deep),
  { maxKeys: 8 },
);

describe('issueToken then verifyToken', () => {
  it('answers every accepted claim set unchanged, and refuses the rest at issue with CLAIMS_INVALID', async () => {
    const deps = await seededDeps();
    let refusedAsUnverifiable = 0;
    await fc.assert(
      fc.asyncProperty(claimSet, async (claims) => {
        let issued: Awaited<ReturnType<typeof issueFor>>;
        try {
          issued = await issueFor(deps, { expiryType: 'Infinite' }, { claims });
        } catch (err) {
          expect(err).toMatchObject({ code: 'CLAIMS_INVALID' });
          if (/well-formed Unicode/.test((err as Error).message)) refusedAsUnverifiable++;
          return;
        }
        const verified = await verifyToken(deps, issued.token);
        expect(JSON.stringify(verified.claims)).toBe(JSON.stringify(claims));
      }),
      { numRuns: 300, seed: 20_261_123 },
    );
    expect(refusedAsUnverifiable).toBeGreaterThan(10); // the generator does reach the strict parser's limits
  });
});
