// The schemas of the provider routes (routes-providers.ts), gathered into schemas.ts's catalogues: the
// members of a provider body (each optional here, since each type takes its own; core/providers-model.ts
// checks the values and answers PROVIDER_INVALID), and the answers, which hold no secret member at all.
import * as v from 'valibot';
import {
  DEFAULT_PROVIDER_TTL_SECONDS,
  MAX_PROVIDER_TEXT,
  PROVIDER_TYPES,
  TWILIO_MAX_TTL_SECONDS,
} from '../core/providers-model.ts';

const TIME = v.nullable(v.pipe(v.string(), v.isoTimestamp()));
const SECONDS = v.pipe(v.number(), v.integer(), v.minValue(1));
const TEXT = v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_PROVIDER_TEXT));
const sid = (prefix: string, what: string) =>
  v.pipe(v.string(), v.regex(new RegExp(`^${prefix}[0-9a-f]{32}$`)), v.description(`A Twilio ${what}.`));
const SECRET = 'Kept encrypted (KMS in AWS, the data folder key locally); never answered.';

const TWILIO_GRANTS = v.strictObject({
  chat: v.optional(v.strictObject({ serviceSid: sid('IS', 'Conversations/Chat Service SID') })),
  video: v.optional(v.strictObject({ room: v.optional(TEXT) })),
  voice: v.optional(
    v.strictObject({
      outgoingApplicationSid: v.optional(sid('AP', 'TwiML App SID')),
      incomingAllow: v.optional(v.boolean()),
    }),
  ),
});

/** The body members of PUT …/providers/{providerId} and of the exchange, by name. */
export const PROVIDER_BODY_SCHEMAS = {
  type: v.optional(v.pipe(v.picklist(PROVIDER_TYPES), v.description('Which members the body takes.'))),
  applicationCode: v.optional(v.pipe(TEXT, v.description("infobip: the App Profile's application code."))),
  keyId: v.optional(v.pipe(TEXT, v.description("infobip: the JWT secret key's id, the token's kid."))),
  secretKeyHex: v.optional(
    v.pipe(v.string(), v.regex(/^(?:[0-9a-fA-F]{2}){32,256}$/), v.description(`infobip: hex. ${SECRET}`)),
  ),
  accountSid: v.optional(sid('AC', 'Account SID')),
  apiKeySid: v.optional(sid('SK', 'API Key SID')),
  apiKeySecret: v.optional(v.pipe(TEXT, v.description(`twilio: the API key's secret. ${SECRET}`))),
  grants: v.optional(v.pipe(TWILIO_GRANTS, v.description('twilio: at least one of chat, video, voice.'))),
  apiSecret: v.optional(v.pipe(TEXT, v.description(`stream: the API secret. ${SECRET}`))),
  ttl: v.optional(
    v.pipe(
      SECONDS,
      v.description(
        `Seconds; default ${DEFAULT_PROVIDER_TTL_SECONDS} (stream: no exp), twilio at most ${TWILIO_MAX_TTL_SECONDS}.`,
      ),
    ),
  ),
  provider: v.optional(v.pipe(v.string(), v.description('The providerId to mint a token of.'))),
};

const PROVIDER_BASE = { providerId: v.string(), createdAt: TIME };
const PROVIDER = v.variant('type', [
  v.object({
    ...PROVIDER_BASE,
    type: v.literal('infobip'),
    applicationCode: v.string(),
    keyId: v.string(),
    ttl: SECONDS,
  }),
  v.object({
    ...PROVIDER_BASE,
    type: v.literal('twilio'),
    accountSid: v.string(),
    apiKeySid: v.string(),
    grants: TWILIO_GRANTS,
    ttl: SECONDS,
  }),
  v.object({ ...PROVIDER_BASE, type: v.literal('stream'), ttl: v.nullable(SECONDS) }),
]);

/** The provider routes' answers, by the names routes give them. */
export const PROVIDER_ANSWERS = {
  Provider: PROVIDER,
  Providers: v.object({ providers: v.array(PROVIDER) }),
  ExchangedToken: v.object({
    token: v.pipe(
      v.string(),
      v.description("The provider's token, checked by the provider, not by Tessera."),
    ),
    provider: v.string(),
    type: v.picklist(PROVIDER_TYPES),
    expiresAt: v.pipe(TIME, v.description('Its exp; null for a stream provider without ttl.')),
  }),
};
