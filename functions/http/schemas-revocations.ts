// The schemas of the wider revocations (an ecosystem's revocations by issue time, and revoke-others),
// gathered into schemas.ts's catalogues: the `issuedBefore` body member and the answers. The values are
// checked by core/revocations.ts, with its own codes.
import * as v from 'valibot';
import { MAX_REVOCATIONS } from '../core/revocations.ts';

const TIME = v.pipe(v.string(), v.isoTimestamp());
const COUNT = v.pipe(v.number(), v.integer(), v.minValue(0));

const REVOCATION = v.object({
  revocationId: v.string(),
  issuedBefore: v.pipe(
    TIME,
    v.description('Whole seconds: every token of the ecosystem issued earlier is revoked.'),
  ),
  createdAt: TIME,
});

/** The body member of POST …/revocations, by name. */
export const REVOCATION_BODY_SCHEMAS = {
  issuedBefore: v.optional(
    v.pipe(
      v.string(),
      v.isoTimestamp(),
      v.description(
        'Required. Every token of the ecosystem issued before this instant is revoked; at most now plus the ' +
          'clock skew. A fraction of a second is rounded up (tokens carry whole seconds).',
      ),
    ),
  ),
};

/** The answers of the revocation routes and of revoke-others, by the names the routes give them. */
export const REVOCATION_ANSWERS = {
  Revocation: REVOCATION,
  Revocations: v.pipe(
    v.object({ revocations: v.array(REVOCATION) }),
    v.description(`Newest first. An ecosystem holds at most ${MAX_REVOCATIONS} revocations.`),
  ),
  RevokedOthers: v.object({
    revoked: v.pipe(COUNT, v.description("How many of the user's other tokens were live a moment before.")),
  }),
};
