// The schemas the route declarations (routes-*.ts) name: each request member and each answer, as valibot
// schemas, so one definition gives the TypeScript type (v.InferOutput, route-types.ts), the OpenAPI schema
// (openapi.ts, through @valibot/to-json-schema) and the check the tests run on every real answer. A route
// refers to them by name, as OpenAPI's $ref does, so the functions' bundles carry none of this: only the
// keys function (openapi.ts) and the tests import it. Request values are checked by functions/core, with
// its own codes (a direct invocation hands the core the same values); request.ts refuses unknown names.
import * as v from 'valibot';
import { MAX_CLAIMS_BYTES, MAX_METADATA_BYTES } from '../core/documents.ts';
import { MAX_NAME_LENGTH } from '../core/ecosystems.ts';
import type { ErrorCode } from '../core/errors.ts';
import { EXPIRY_TYPES, EXPIRY_TYPES_DESCRIPTION } from '../core/expiry-models.ts';
import { MAX_LABEL_LENGTH } from '../core/issue-token.ts';
import { MAX_AUDIENCE_LENGTH, MAX_AUDIENCES } from '../core/token-claims.ts';
import { REFUSALS, type Refusal } from '../core/usage.ts';
import { PROVIDER_ANSWERS, PROVIDER_BODY_SCHEMAS } from './schemas-providers.ts';
import { REVOCATION_ANSWERS, REVOCATION_BODY_SCHEMAS } from './schemas-revocations.ts';
import { STATUS_OF } from './status.ts';

/** An instant as the service writes it (`Date#toISOString`), or null where the core's view allows none. */
const TIME = v.nullable(v.pipe(v.string(), v.isoTimestamp()));
const DATE = v.pipe(v.string(), v.isoDate());
const COUNT = v.pipe(v.number(), v.integer(), v.minValue(0));
const SECONDS = v.pipe(v.number(), v.integer(), v.minValue(1));
/** A JSON object kept exactly as sent (metadata, claims). */
const JSON_OBJECT = v.record(v.string(), v.unknown());
const EXPIRY_TYPE = v.pipe(v.picklist(EXPIRY_TYPES), v.description(EXPIRY_TYPES_DESCRIPTION));
const TOKEN_STATUS = v.picklist(['active', 'rotated', 'revoked']);
/** One audience; its length is the core's to count in code points (maxLength here counts UTF-16 units). */
const AUDIENCE = v.pipe(v.string(), v.minLength(1), v.maxLength(2 * MAX_AUDIENCE_LENGTH));
const AUDIENCES = v.pipe(v.array(AUDIENCE), v.minLength(1), v.maxLength(MAX_AUDIENCES));

/** One count per refusal code, every code present (a usage day's `refused`). */
function countPerRefusal(codes: readonly Refusal[], count: typeof COUNT) {
  return v.object(Object.fromEntries(codes.map((code) => [code, count])) as Record<Refusal, typeof COUNT>);
}

/** The path parameters by name: a template's `{name}` means the same thing on every route. */
export const PATH_PARAMETERS: Readonly<Record<string, v.GenericSchema<string>>> = {
  ecosystemId: v.string(),
  userId: v.string(),
  serverTokenId: v.string(),
  tokenId: v.string(),
  providerId: v.string(),
  revocationId: v.string(),
};

// Request members, by name: a body member or query field means the same thing on every route that takes
// it, so a route names its members and this is their one schema. All are optional (the bearer may stand in
// for `token`; every query field has a default).

export const BODY_MEMBERS = {
  name: v.optional(
    v.nullable(
      v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_NAME_LENGTH), v.description('In code points.')),
    ),
  ),
  metadata: v.optional(
    v.pipe(JSON_OBJECT, v.description(`At most ${MAX_METADATA_BYTES} bytes as JSON; omitted means {}.`)),
  ),
  claims: v.optional(
    v.pipe(
      JSON_OBJECT,
      v.description(
        `Extra claims, at most ${MAX_CLAIMS_BYTES} bytes as JSON; no registered JWT name, nothing under tsr:.`,
      ),
    ),
  ),
  token: v.optional(v.pipe(v.string(), v.description('The user token (or send it as the bearer).'))),
  // One name, two roles: what issue signs into the token, and what verify requires of it.
  audience: v.optional(
    v.pipe(
      v.union([AUDIENCES, AUDIENCE]),
      v.description(
        `Issue: a list of the token's audiences (its aud), at most ${MAX_AUDIENCES}, each 1 to ` +
          `${MAX_AUDIENCE_LENGTH} code points. Verify: the one audience the token must carry.`,
      ),
    ),
  ),
  label: v.optional(
    v.pipe(
      v.string(),
      v.minLength(1),
      v.description(
        `Issue: a device or client name, 1 to ${MAX_LABEL_LENGTH} code points, kept by refreshes.`,
      ),
    ),
  ),
  ...PROVIDER_BODY_SCHEMAS,
  ...REVOCATION_BODY_SCHEMAS,
};

export const QUERY_FIELDS = {
  expiryType: v.optional(EXPIRY_TYPE),
  ttl: v.optional(v.pipe(SECONDS, v.description('Default 3600, at most the configured maximum.'))),
  maxTtl: v.optional(v.pipe(SECONDS, v.description('SlidingTtl only: an absolute cap, at least ttl.'))),
  from: v.optional(v.pipe(DATE, v.description('Both bounds or neither (the last 30 days).'))),
  to: v.optional(DATE),
};

export type BodyMember = keyof typeof BODY_MEMBERS;
export type QueryField = keyof typeof QUERY_FIELDS;

/**
 * The strict object of the named members: any other member is refused, as request.ts refuses it.
 *
 * @example
 * v.is(membersSchema(BODY_MEMBERS, ['claims']), { claims: { role: 'admin' } }); // true
 */
export function membersSchema<const M extends Record<string, v.GenericSchema>, const N extends keyof M>(
  members: M,
  names: readonly N[],
) {
  const entries = Object.fromEntries(names.map((name) => [name, members[name]])) as Pick<M, N>;
  return v.strictObject(entries);
}

// Answers. Each is named here once: the OpenAPI document lists them under components/schemas by these names.

const ECOSYSTEM = v.object({ ecosystemId: v.string(), name: v.nullable(v.string()), createdAt: TIME });
const SERVER_TOKEN = v.object({ serverTokenId: v.string(), createdAt: TIME });
const SERVER_TOKEN_CREATED = v.object({ ...SERVER_TOKEN.entries, serverToken: v.string() });
const EXPIRY_STATE = {
  expiryType: EXPIRY_TYPE,
  expiresAt: TIME,
  absoluteExpiresAt: TIME,
  lastUsedAt: TIME,
};
const USAGE_DAY = v.object({
  date: DATE,
  newActiveIdentities: COUNT,
  issued: COUNT,
  verified: COUNT,
  refreshed: COUNT,
  revoked: COUNT,
  refused: countPerRefusal(REFUSALS, COUNT),
  noIdentity: COUNT,
});

/** Every error code, for the error envelope (openapi.ts narrows it to each route's codes). */
export const ERROR_CODES = Object.keys(STATUS_OF) as ErrorCode[];

/**
 * The error envelope of API.md with the given codes.
 *
 * @example
 * v.is(errorAnswer(['USER_NOT_FOUND']), { error: { code: 'USER_NOT_FOUND', message: 'No user "bob".' } }); // true
 */
export function errorAnswer(codes: readonly ErrorCode[]) {
  return v.object({ error: v.object({ code: v.picklist(codes), message: v.string() }) });
}

/** Every answer body, by the name routes give it (and the OpenAPI document lists it under). */
export const ANSWERS = {
  Ecosystem: ECOSYSTEM,
  EcosystemCreated: v.object({ ...ECOSYSTEM.entries, ...SERVER_TOKEN_CREATED.entries }),
  Ecosystems: v.object({ ecosystems: v.array(ECOSYSTEM) }),
  ServerTokenCreated: SERVER_TOKEN_CREATED,
  ServerTokens: v.object({ serverTokens: v.array(SERVER_TOKEN) }),
  User: v.object({ ecosystemId: v.string(), userId: v.string(), metadata: JSON_OBJECT, createdAt: TIME }),
  IssuedToken: v.object({
    token: v.string(),
    tokenId: v.string(),
    ttl: v.pipe(v.nullable(SECONDS), v.description('null for Infinite.')),
    ...EXPIRY_STATE,
  }),
  VerifiedToken: v.object({
    valid: v.literal(true),
    tokenId: v.string(),
    userId: v.string(),
    ecosystemId: v.string(),
    ...EXPIRY_STATE,
    claims: JSON_OBJECT,
    metadata: JSON_OBJECT,
    audience: v.pipe(v.nullable(AUDIENCES), v.description("The token's audiences, or null without.")),
  }),
  UserTokens: v.object({
    tokens: v.array(
      v.object({
        tokenId: v.string(),
        label: v.pipe(v.nullable(v.string()), v.description('The label given at issue, or null.')),
        issuedAt: TIME,
        ...EXPIRY_STATE,
        status: TOKEN_STATUS,
      }),
    ),
  }),
  Usage: v.object({
    ecosystemId: v.string(),
    from: DATE,
    to: DATE,
    days: v.array(USAGE_DAY),
    months: v.array(
      v.object({ month: v.pipe(v.string(), v.regex(/^\d{4}-\d{2}$/)), activeIdentities: COUNT }),
    ),
  }),
  Jwks: v.object({
    keys: v.array(
      v.object({
        kty: v.literal('EC'),
        crv: v.literal('P-256'),
        x: v.string(),
        y: v.string(),
        kid: v.string(),
        alg: v.literal('ES256'),
        use: v.literal('sig'),
      }),
    ),
  }),
  Me: v.object({
    userId: v.string(),
    ecosystemId: v.string(),
    tokenId: v.string(),
    expiryType: EXPIRY_TYPE,
    claims: JSON_OBJECT,
  }),
  GatewayRefusal: v.pipe(
    v.object({ message: v.picklist(['Unauthorized', 'Forbidden']) }),
    v.description(
      "API Gateway's own answer when its Lambda authorizer refuses: 401 without a token, 403 for a refused one.",
    ),
  ),
  OpenApiDocument: v.looseObject({ openapi: v.literal('3.1.0'), paths: v.record(v.string(), v.unknown()) }),
  ...PROVIDER_ANSWERS,
  ...REVOCATION_ANSWERS,
  Error: errorAnswer(ERROR_CODES),
};

export type AnswerName = keyof typeof ANSWERS;
