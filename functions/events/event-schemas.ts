// The schema of every security event, as valibot schemas: one definition gives the documented JSON Schema
// (docs/events/events.schema.json, written from here by `npx tsx functions/events/event-schemas.ts && npx
// biome check --write docs/events`, and compared with it by a test) and the check the tests run on every
// event both paths emit. Only the tests and that command import this file: no function bundle has it.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { toJsonSchemaDefs } from '@valibot/to-json-schema';
import * as v from 'valibot';
import { EVENT_TYPES, type EventType } from '../core/events.ts';
import { EXPIRY_TYPES } from '../core/expiry-models.ts';

const ID = v.pipe(v.string(), v.minLength(1));
const TIME = v.pipe(v.string(), v.isoTimestamp(), v.description('ISO-8601 UTC, to the second.'));
const SECONDS = v.pipe(v.number(), v.integer(), v.minValue(0));

/** The members every event has, and those that name a user, a token and its family. */
const BASE = {
  id: v.pipe(
    v.string(),
    v.regex(/^[0-9a-f]{32}$/),
    v.description('Stable: the same change always has the same id. Deduplicate on it.'),
  ),
  time: v.pipe(TIME, v.description('When the change was written.')),
  ecosystemId: ID,
};
const USER = { ...BASE, userId: ID };
const TOKEN = {
  ...USER,
  tokenId: ID,
  familyId: v.pipe(ID, v.description('The tokenId of the first token of its refresh family.')),
};

function event<T extends EventType>(type: T, names: v.ObjectEntries, detail: v.ObjectEntries, what: string) {
  return v.pipe(
    v.strictObject({ ...names, type: v.literal(type), detail: v.strictObject(detail) }),
    v.title(type),
    v.description(what),
  );
}

const REVOCATION = { revocationId: ID, issuedBefore: TIME, createdAt: TIME };
const SERVER_TOKEN = { serverTokenId: ID, createdAt: TIME };
const LABEL = v.pipe(
  v.nullable(v.pipe(v.string(), v.minLength(1))),
  v.description('The label the token was issued with (kept by refreshes), or null without one.'),
);

/** One schema per event type, by type. */
export const EVENT_SCHEMAS = {
  'token.revoked': event(
    'token.revoked',
    TOKEN,
    { expiryType: v.picklist(EXPIRY_TYPES), issuedAt: TIME, label: LABEL },
    'A token was revoked: by its holder (logout), by id, or as the newest of a family a logout revoked.',
  ),
  'token.reused': event(
    'token.reused',
    {
      ...TOKEN,
      tokenId: v.pipe(ID, v.description('The token presented: the same as detail.presentedTokenId.')),
    },
    {
      presentedTokenId: v.pipe(ID, v.description('The rotated-away token presented to refresh.')),
      newestTokenId: v.pipe(ID, v.description('The newest token of its family, which this revoked.')),
      secondsAfterGrace: v.pipe(
        SECONDS,
        v.description('How long after the end of the grace period it came.'),
      ),
      label: v.pipe(
        LABEL,
        v.description(
          "The family's label, read from its newest token: a refresh keeps the label, so it is the presented token's too.",
        ),
      ),
    },
    'A token replaced by a refresh was presented again after the grace period: its family is revoked.',
  ),
  'user.tokens_revoked': event(
    'user.tokens_revoked',
    USER,
    {},
    'Every token of the user issued so far was revoked.',
  ),
  'user.deleted': event(
    'user.deleted',
    USER,
    {},
    'A user was deleted (its tokens stop verifying), on its own or with its ecosystem.',
  ),
  'ecosystem.deleted': event(
    'ecosystem.deleted',
    BASE,
    { name: v.nullable(v.string()) },
    'An ecosystem was deleted with everything it held; its users and server tokens have their own events.',
  ),
  'ecosystem.revocation_created': event(
    'ecosystem.revocation_created',
    BASE,
    REVOCATION,
    'Every token of the ecosystem issued before issuedBefore is revoked.',
  ),
  'ecosystem.revocation_deleted': event(
    'ecosystem.revocation_deleted',
    BASE,
    REVOCATION,
    'An ecosystem-wide revocation was undone (or went with its ecosystem).',
  ),
  'server_token.created': event(
    'server_token.created',
    BASE,
    SERVER_TOKEN,
    'A server token was created (an ecosystem is created with its first one). Never the token itself.',
  ),
  'server_token.deleted': event(
    'server_token.deleted',
    BASE,
    SERVER_TOKEN,
    'A server token was deleted, on its own or with its ecosystem.',
  ),
} satisfies Record<EventType, v.GenericSchema>;

/** Any event: the schema of its type. */
export const EVENT_SCHEMA = v.variant(
  'type',
  EVENT_TYPES.map((type) => EVENT_SCHEMAS[type].pipe[0]),
);

/** The JSON Schema document of docs/events/events.schema.json. */
export function eventsJsonSchema(): Record<string, unknown> {
  const defs = toJsonSchemaDefs(EVENT_SCHEMAS, { target: 'draft-2020-12' });
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Tessera security event',
    description:
      'One security event, as put on the EventBridge bus (the `detail`, with `detail-type` its `type`) and as one line of events.jsonl and one webhook body in local mode.',
    oneOf: EVENT_TYPES.map((type) => ({ $ref: `#/$defs/${type}` })),
    $defs: defs,
  };
}

/** Where the document lives in the repository. */
export const EVENTS_SCHEMA_FILE = join(
  resolve(import.meta.dirname, '..', '..'),
  'docs',
  'events',
  'events.schema.json',
);

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(EVENTS_SCHEMA_FILE, `${JSON.stringify(eventsJsonSchema(), null, 2)}\n`);
  process.stdout.write(`wrote ${EVENTS_SCHEMA_FILE}\n`);
}
