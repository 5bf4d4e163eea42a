// Provider bodies for tests, each with a fresh random secret, so a test that searches answers, logs and
// files for a secret cannot match one by accident.
import { randomBytes } from 'node:crypto';
import { SECRET_MEMBER } from '../../functions/core/providers-model.ts';
import type { JsonObject } from '../../functions/core/strict-json.ts';

/** A Twilio SID: the prefix, then 32 lowercase hex digits. */
export const sid = (prefix: string) => `${prefix}${randomBytes(16).toString('hex')}`;

/** One valid body of each type, with new secrets on every call. */
export function providerBodies() {
  return {
    infobip: {
      type: 'infobip' as const,
      applicationCode: `app-${randomBytes(4).toString('hex')}`,
      keyId: `key-${randomBytes(4).toString('hex')}`,
      secretKeyHex: randomBytes(32).toString('hex'),
      ttl: 600,
    },
    twilio: {
      type: 'twilio' as const,
      accountSid: sid('AC'),
      apiKeySid: sid('SK'),
      apiKeySecret: randomBytes(16).toString('hex'),
      grants: { chat: { serviceSid: sid('IS') }, video: {} },
      ttl: 900,
    },
    stream: { type: 'stream' as const, apiSecret: randomBytes(32).toString('base64url') },
  } satisfies Record<string, JsonObject>;
}

/** The secret a body carries (the member SECRET_MEMBER names for its type). */
export function secretOf(body: JsonObject): string {
  const member = SECRET_MEMBER[body.type as keyof typeof SECRET_MEMBER];
  const secret = body[member];
  if (typeof secret !== 'string') throw new Error(`the body has no ${member}`);
  return secret;
}
