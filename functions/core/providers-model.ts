// The three provider types of the token exchange (docs/API.md, "Provider tokens"), one record each: the
// members a PUT body takes, which one is the secret, and the checks that answer PROVIDER_INVALID naming
// the bad field. What passes is split in two: the settings, kept and answered in the clear, and the
// secret, which only the SecretBox ever sees in plain text.
import { TesseraError } from './errors.ts';
import { characterCount } from './ids.ts';
import type { JsonObject, JsonValue } from './strict-json.ts';

export const PROVIDER_TYPES = ['infobip', 'twilio', 'stream'] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

export interface InfobipSettings {
  type: 'infobip';
  /** The App Profile's application code: the `infobip-api-key` and `iss` of every token. */
  applicationCode: string;
  /** The id of the JWT secret key: the header's `kid`. */
  keyId: string;
  ttl: number;
}

/** Twilio's grants, in the helper library's option names; each is sent only when configured. */
export interface TwilioGrants {
  chat?: { serviceSid: string };
  video?: { room?: string };
  voice?: { outgoingApplicationSid?: string; incomingAllow?: boolean };
}

export interface TwilioSettings {
  type: 'twilio';
  accountSid: string;
  apiKeySid: string;
  grants: TwilioGrants;
  ttl: number;
}

export interface StreamSettings {
  type: 'stream';
  /** Seconds; null mints tokens without `exp`, as Stream's createToken does without one. */
  ttl: number | null;
}

/** A provider's settings: everything but its secret. */
export type ProviderSettings = InfobipSettings | TwilioSettings | StreamSettings;

/** A checked PUT body: the settings, and the secret to seal. */
export interface ProviderInput {
  settings: ProviderSettings;
  secret: string;
}

/** The ttl of a provider token when the body gives none (Stream's default is no expiry at all). */
export const DEFAULT_PROVIDER_TTL_SECONDS = 3600;
/** Twilio refuses an access token valid longer than 24 hours. */
export const TWILIO_MAX_TTL_SECONDS = 86_400;
/** The longest text member (ids, codes, secrets), in characters. */
export const MAX_PROVIDER_TEXT = 256;

/** The body member that carries each type's secret: it is sealed, never stored or answered in the clear. */
export const SECRET_MEMBER = {
  infobip: 'secretKeyHex',
  twilio: 'apiKeySecret',
  stream: 'apiSecret',
} as const satisfies Record<ProviderType, string>;

/** Every member a provider body may name, whatever its type: what the PUT route declares. */
export const PROVIDER_BODY_MEMBERS = [
  'type',
  'applicationCode',
  'keyId',
  'secretKeyHex',
  'accountSid',
  'apiKeySid',
  'apiKeySecret',
  'grants',
  'apiSecret',
  'ttl',
] as const;
type ProviderBodyMember = (typeof PROVIDER_BODY_MEMBERS)[number];

/** The members a body of each type may hold. */
const MEMBERS: Record<ProviderType, readonly ProviderBodyMember[]> = {
  infobip: ['type', 'applicationCode', 'keyId', 'secretKeyHex', 'ttl'],
  twilio: ['type', 'accountSid', 'apiKeySid', 'apiKeySecret', 'grants', 'ttl'],
  stream: ['type', 'apiSecret', 'ttl'],
};

/** Twilio SIDs: a two-letter prefix naming the resource, then 32 lowercase hex digits (34 characters). */
const SID_KINDS = {
  AC: 'Account SID',
  SK: 'API Key SID',
  IS: 'Conversations/Chat Service SID',
  AP: 'TwiML App SID',
} as const;

function invalid(field: string, rule: string): TesseraError {
  return new TesseraError('PROVIDER_INVALID', `${field} ${rule}.`);
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Refuses a member the object may not hold, naming it with its path. */
function onlyMembers(object: JsonObject, allowed: readonly string[], path: string, what: string): void {
  const extra = Object.keys(object).find((name) => !allowed.includes(name));
  if (extra !== undefined) throw invalid(`${path}${extra}`, `is not a field of ${what}`);
}

/** Text of 1 to MAX_PROVIDER_TEXT characters without control characters. Never echoes the value. */
function text(object: JsonObject, name: string, path = ''): string {
  const value = object[name];
  const field = `${path}${name}`;
  if (value === undefined) throw invalid(field, 'is required');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  const control = /[\u0000-\u001f\u007f]/;
  if (typeof value !== 'string' || value === '' || characterCount(value) > MAX_PROVIDER_TEXT) {
    throw invalid(field, `must be a string of 1 to ${MAX_PROVIDER_TEXT} characters`);
  }
  if (control.test(value)) throw invalid(field, 'must not contain control characters');
  return value;
}

function sid(object: JsonObject, name: string, prefix: keyof typeof SID_KINDS, path = ''): string {
  const value = object[name];
  const field = `${path}${name}`;
  if (value === undefined) throw invalid(field, 'is required');
  if (typeof value !== 'string' || !new RegExp(`^${prefix}[0-9a-f]{32}$`).test(value)) {
    throw invalid(
      field,
      `must be a Twilio ${SID_KINDS[prefix]}: ${prefix} then 32 lowercase hex digits, 34 characters`,
    );
  }
  return value;
}

function ttlOf(body: JsonObject, max: number, fallback: number | null): number | null {
  const value = body.ttl;
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > max) {
    throw invalid('ttl', `must be a whole number of seconds from 1 to ${max}`);
  }
  return value;
}

function infobip(body: JsonObject, maxTtl: number): ProviderInput {
  const secret = body.secretKeyHex;
  // HS256 wants a key of at least 256 bits (RFC 7518 §3.2); Infobip's keys are hex.
  if (secret === undefined) throw invalid('secretKeyHex', 'is required');
  if (typeof secret !== 'string' || !/^(?:[0-9a-fA-F]{2}){32,256}$/.test(secret)) {
    throw invalid('secretKeyHex', 'must be hex of 32 to 256 bytes (64 to 512 hex digits)');
  }
  const settings: InfobipSettings = {
    type: 'infobip',
    applicationCode: text(body, 'applicationCode'),
    keyId: text(body, 'keyId'),
    ttl: ttlOf(body, maxTtl, DEFAULT_PROVIDER_TTL_SECONDS) ?? DEFAULT_PROVIDER_TTL_SECONDS,
  };
  return { settings, secret };
}

function twilioGrants(value: JsonValue | undefined): TwilioGrants {
  if (value === undefined) throw invalid('grants', 'is required');
  if (!isObject(value)) throw invalid('grants', 'must be an object of chat, video and voice grants');
  onlyMembers(value, ['chat', 'video', 'voice'], 'grants.', 'Twilio grants (chat, video, voice)');
  const grants: TwilioGrants = {};
  const { chat, video, voice } = value;
  if (chat !== undefined) {
    if (!isObject(chat)) throw invalid('grants.chat', 'must be an object {"serviceSid"}');
    onlyMembers(chat, ['serviceSid'], 'grants.chat.', 'a chat grant');
    grants.chat = { serviceSid: sid(chat, 'serviceSid', 'IS', 'grants.chat.') };
  }
  if (video !== undefined) {
    if (!isObject(video)) throw invalid('grants.video', 'must be an object {"room"?}');
    onlyMembers(video, ['room'], 'grants.video.', 'a video grant');
    grants.video = video.room === undefined ? {} : { room: text(video, 'room', 'grants.video.') };
  }
  if (voice !== undefined) {
    if (!isObject(voice)) {
      throw invalid('grants.voice', 'must be an object {"outgoingApplicationSid"?, "incomingAllow"?}');
    }
    onlyMembers(voice, ['outgoingApplicationSid', 'incomingAllow'], 'grants.voice.', 'a voice grant');
    const grant: NonNullable<TwilioGrants['voice']> = {};
    if (voice.outgoingApplicationSid !== undefined) {
      grant.outgoingApplicationSid = sid(voice, 'outgoingApplicationSid', 'AP', 'grants.voice.');
    }
    if (voice.incomingAllow !== undefined) {
      if (typeof voice.incomingAllow !== 'boolean') {
        throw invalid('grants.voice.incomingAllow', 'must be true or false');
      }
      grant.incomingAllow = voice.incomingAllow;
    }
    grants.voice = grant;
  }
  if (Object.keys(grants).length === 0) throw invalid('grants', 'must configure chat, video or voice');
  return grants;
}

function twilio(body: JsonObject): ProviderInput {
  const settings: TwilioSettings = {
    type: 'twilio',
    accountSid: sid(body, 'accountSid', 'AC'),
    apiKeySid: sid(body, 'apiKeySid', 'SK'),
    grants: twilioGrants(body.grants),
    ttl: ttlOf(body, TWILIO_MAX_TTL_SECONDS, DEFAULT_PROVIDER_TTL_SECONDS) ?? DEFAULT_PROVIDER_TTL_SECONDS,
  };
  return { settings, secret: text(body, 'apiKeySecret') };
}

function stream(body: JsonObject, maxTtl: number): ProviderInput {
  return { settings: { type: 'stream', ttl: ttlOf(body, maxTtl, null) }, secret: text(body, 'apiSecret') };
}

/**
 * Checks a provider body (PUT …/providers/{providerId}): its type, then that type's members, each with
 * its rule; the ttl of Infobip and Stream is bounded by the service's largest ttl, Twilio's by 24 hours.
 * A refusal is PROVIDER_INVALID naming the field, never quoting its value.
 *
 * @example
 * const { settings, secret } = parseProvider({ type: 'stream', apiSecret: 's3cr3t' }, 31_536_000);
 * settings; // { type: 'stream', ttl: null }
 */
export function parseProvider(body: JsonObject, maxTtlSeconds: number): ProviderInput {
  const type = body.type;
  if (typeof type !== 'string' || !(PROVIDER_TYPES as readonly string[]).includes(type)) {
    throw invalid('type', `must be one of ${PROVIDER_TYPES.join(', ')}`);
  }
  const kind = type as ProviderType;
  onlyMembers(body, MEMBERS[kind], '', `a ${kind} provider`);
  if (kind === 'infobip') return infobip(body, maxTtlSeconds);
  if (kind === 'twilio') return twilio(body);
  return stream(body, maxTtlSeconds);
}

/**
 * The PROVIDER_INVALID a malformed provider id gets (the path's `providerId`, the exchange body's
 * `provider`): it follows the id rules of ecosystems and users.
 */
export function providerIdInvalid(field: 'providerId' | 'provider' = 'providerId'): TesseraError {
  return invalid(
    field,
    'must be 1 to 128 characters of A-Z a-z 0-9 . _ - @ : +, starting with a letter or digit',
  );
}
