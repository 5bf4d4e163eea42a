// Minting the providers' own user tokens, as their libraries build them (docs/API.md, "Provider tokens"):
// HS256 compact JWTs whose header and claims have the members, order and shapes of Twilio's AccessToken
// (helper library, through jsonwebtoken), Stream's server-side createToken and Infobip's documented user
// data JWT. test/unit/core/provider-tokens.test.ts compares them byte for byte with the libraries' own.
import { createHmac, randomUUID } from 'node:crypto';
import type { InfobipSettings, ProviderSettings, StreamSettings, TwilioSettings } from './providers-model.ts';

/** A minted provider token and its deadline (epoch seconds; null when it has none). */
export interface MintedToken {
  token: string;
  expiresAt: number | null;
}

/** What every minter is given: the user it is for, the instant, and the provider's secret in plain text. */
export interface MintInput {
  userId: string;
  /** Epoch seconds. */
  now: number;
  secret: string;
}

const segment = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * A JWS compact serialization signed with HMAC-SHA256: members in the order given, as jsonwebtoken writes
 * them (JSON.stringify, base64url without padding).
 *
 * @example
 * hs256({ alg: 'HS256', typ: 'JWT' }, { user_id: 'alice' }, Buffer.from('secret'));
 */
export function hs256(header: object, payload: object, key: Uint8Array | string): string {
  const input = `${segment(header)}.${segment(payload)}`;
  return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
}

/**
 * Infobip's user data JWT: header `alg`, `typ`, `kid`; claims `typ: "Bearer"`, `sub`, `infobip-api-key`,
 * `iss`, `iat`, `exp` and a unique `jti`, keyed with the hex-decoded secret. The Mobile Messaging SDK checks
 * exactly these before each call (JWT_TOKEN_STRUCTURE_INVALID / JWT_TOKEN_EXPIRED otherwise):
 * https://github.com/infobip/mobile-messaging-sdk-android/wiki/JsonWebToken-(JWT)-structure-and-generation-example
 */
function mintInfobip(settings: InfobipSettings, input: MintInput): MintedToken {
  const exp = input.now + settings.ttl;
  const token = hs256(
    { alg: 'HS256', typ: 'JWT', kid: settings.keyId },
    {
      typ: 'Bearer',
      sub: input.userId,
      'infobip-api-key': settings.applicationCode,
      iss: settings.applicationCode,
      iat: input.now,
      exp,
      jti: randomUUID(),
    },
    Buffer.from(input.secret, 'hex'),
  );
  return { token, expiresAt: exp };
}

/**
 * Twilio's grants in its own field names and in the order AccessToken.toJwt writes them: identity first,
 * then each grant as it was added (chat, video, voice); within voice, `incoming` (only when allowed) before
 * `outgoing`. A grant configured without its optional field is `{}`.
 */
function twilioGrants(settings: TwilioSettings, identity: string): Record<string, unknown> {
  const grants: Record<string, unknown> = { identity };
  const { chat, video, voice } = settings.grants;
  if (chat !== undefined) grants.chat = { service_sid: chat.serviceSid };
  if (video !== undefined) grants.video = video.room === undefined ? {} : { room: video.room };
  if (voice !== undefined) {
    const payload: Record<string, unknown> = {};
    if (voice.incomingAllow === true) payload.incoming = { allow: true };
    if (voice.outgoingApplicationSid !== undefined) {
      payload.outgoing = { application_sid: voice.outgoingApplicationSid };
    }
    grants.voice = payload;
  }
  return grants;
}

/**
 * Twilio's Access Token: header `{"alg":"HS256","typ":"JWT","cty":"twilio-fpa;v=1"}`, claims `jti`
 * (`<apiKeySid>-<iat>`), `grants`, `iat`, `exp`, `iss` (the API key), `sub` (the account), no `nbf`,
 * keyed with the API key secret: what the helper library's AccessToken#toJwt answers.
 */
function mintTwilio(settings: TwilioSettings, input: MintInput): MintedToken {
  const exp = input.now + settings.ttl;
  const token = hs256(
    { alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' },
    {
      jti: `${settings.apiKeySid}-${input.now}`,
      grants: twilioGrants(settings, input.userId),
      iat: input.now,
      exp,
      iss: settings.apiKeySid,
      sub: settings.accountSid,
    },
    input.secret,
  );
  return { token, expiresAt: exp };
}

/**
 * Stream's user token: `{"user_id"}` and `exp` when a ttl is set, no `iat` (Stream refuses a token "used
 * before issued at" from a server whose clock runs ahead), keyed with the API secret: createToken's answer.
 */
function mintStream(settings: StreamSettings, input: MintInput): MintedToken {
  const exp = settings.ttl === null ? null : input.now + settings.ttl;
  const payload = exp === null ? { user_id: input.userId } : { user_id: input.userId, exp };
  return { token: hs256({ alg: 'HS256', typ: 'JWT' }, payload, input.secret), expiresAt: exp };
}

/**
 * The provider token for a user, minted with the provider's plain-text secret.
 *
 * @example
 * const { token, expiresAt } = mintProviderToken(settings, { userId: 'alice', now, secret });
 */
export function mintProviderToken(settings: ProviderSettings, input: MintInput): MintedToken {
  switch (settings.type) {
    case 'infobip':
      return mintInfobip(settings, input);
    case 'twilio':
      return mintTwilio(settings, input);
    case 'stream':
      return mintStream(settings, input);
  }
}
