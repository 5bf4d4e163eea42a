// The provider bodies of PUT …/providers/{providerId}: each type's members and rules, PROVIDER_INVALID
// naming the bad field (and never quoting a value), and the split into settings and secret.
import { describe, expect, it } from 'vitest';
import { TesseraError } from '../../../functions/core/errors.ts';
import { parseProvider } from '../../../functions/core/providers-model.ts';
import type { JsonObject } from '../../../functions/core/strict-json.ts';

const MAX_TTL = 31_536_000;
const sid = (prefix: string, fill = 'a') => `${prefix}${fill.repeat(32)}`;
const HEX = 'ab'.repeat(32);

const INFOBIP: JsonObject = { type: 'infobip', applicationCode: 'app', keyId: 'k1', secretKeyHex: HEX };
const TWILIO: JsonObject = {
  type: 'twilio',
  accountSid: sid('AC'),
  apiKeySid: sid('SK'),
  apiKeySecret: 'twilio-secret-value',
  grants: { chat: { serviceSid: sid('IS') } },
};
const STREAM: JsonObject = { type: 'stream', apiSecret: 'stream-secret-value' };

function refusal(body: JsonObject): TesseraError {
  try {
    parseProvider(body, MAX_TTL);
  } catch (err) {
    if (err instanceof TesseraError) return err;
    throw err;
  }
  throw new Error('the body was accepted');
}

describe('parseProvider', () => {
  it('splits each type into its settings (defaults filled in) and its secret', () => {
    expect(parseProvider(INFOBIP, MAX_TTL)).toEqual({
      settings: { type: 'infobip', applicationCode: 'app', keyId: 'k1', ttl: 3600 },
      secret: HEX,
    });
    expect(parseProvider(TWILIO, MAX_TTL)).toEqual({
      settings: {
        type: 'twilio',
        accountSid: sid('AC'),
        apiKeySid: sid('SK'),
        grants: { chat: { serviceSid: sid('IS') } },
        ttl: 3600,
      },
      secret: 'twilio-secret-value',
    });
    expect(parseProvider(STREAM, MAX_TTL)).toEqual({
      settings: { type: 'stream', ttl: null },
      secret: 'stream-secret-value',
    });
    expect(parseProvider({ ...STREAM, ttl: 60 }, MAX_TTL).settings).toEqual({ type: 'stream', ttl: 60 });
  });

  it('keeps the Twilio grants in their option names, an optional field left out as configured', () => {
    const grants = {
      video: {},
      voice: { outgoingApplicationSid: sid('AP'), incomingAllow: false },
    };
    expect(parseProvider({ ...TWILIO, grants }, MAX_TTL).settings).toMatchObject({ grants });
  });

  const cases: [string, JsonObject, string][] = [
    ['no type', { applicationCode: 'x' }, 'type'],
    ['an unknown type', { ...STREAM, type: 'sendbird' }, 'type'],
    ["another type's member", { ...TWILIO, apiSecret: 'x' }, 'apiSecret'],
    ['a missing secret', { type: 'infobip', applicationCode: 'a', keyId: 'k' }, 'secretKeyHex'],
    ['a secret that is not hex', { ...INFOBIP, secretKeyHex: 'zz'.repeat(32) }, 'secretKeyHex'],
    ['a hex secret of 31 bytes', { ...INFOBIP, secretKeyHex: 'ab'.repeat(31) }, 'secretKeyHex'],
    ['an odd number of hex digits', { ...INFOBIP, secretKeyHex: `${HEX}a` }, 'secretKeyHex'],
    ['an empty applicationCode', { ...INFOBIP, applicationCode: '' }, 'applicationCode'],
    ['a keyId with a control character', { ...INFOBIP, keyId: 'k\u0000' }, 'keyId'],
    ['a keyId that is a number', { ...INFOBIP, keyId: 7 }, 'keyId'],
    ['an accountSid with the wrong prefix', { ...TWILIO, accountSid: sid('SK') }, 'accountSid'],
    ['an accountSid of 33 characters', { ...TWILIO, accountSid: sid('AC').slice(0, 33) }, 'accountSid'],
    ['an apiKeySid in uppercase hex', { ...TWILIO, apiKeySid: sid('SK', 'A') }, 'apiKeySid'],
    ['no grants', { ...TWILIO, grants: undefined as unknown as JsonObject }, 'grants'],
    ['empty grants', { ...TWILIO, grants: {} }, 'grants'],
    ['an unknown grant', { ...TWILIO, grants: { sync: {} } }, 'grants.sync'],
    ['a chat grant without its service', { ...TWILIO, grants: { chat: {} } }, 'grants.chat.serviceSid'],
    [
      'a chat service SID with the wrong prefix',
      { ...TWILIO, grants: { chat: { serviceSid: sid('AP') } } },
      'grants.chat.serviceSid',
    ],
    [
      'a voice application SID with the wrong prefix',
      { ...TWILIO, grants: { voice: { outgoingApplicationSid: sid('IS') } } },
      'grants.voice.outgoingApplicationSid',
    ],
    [
      'incomingAllow that is not a boolean',
      { ...TWILIO, grants: { voice: { incomingAllow: 'yes' } } },
      'grants.voice.incomingAllow',
    ],
    ['a member inside a grant', { ...TWILIO, grants: { video: { room: 'r', x: 1 } } }, 'grants.video.x'],
    ['a Twilio ttl over 24 hours', { ...TWILIO, ttl: 86_401 }, 'ttl'],
    ['a ttl of 0', { ...STREAM, ttl: 0 }, 'ttl'],
    ['a fractional ttl', { ...INFOBIP, ttl: 1.5 }, 'ttl'],
    ['a ttl as a string', { ...INFOBIP, ttl: '60' }, 'ttl'],
    ['a ttl over the service maximum', { ...STREAM, ttl: MAX_TTL + 1 }, 'ttl'],
    ['an empty Stream secret', { ...STREAM, apiSecret: '' }, 'apiSecret'],
  ];

  it.each(cases)('refuses %s with PROVIDER_INVALID naming %s', (_name, body, field) => {
    const body2 = Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
    const err = refusal(body2 as JsonObject);
    expect(err.code).toBe('PROVIDER_INVALID');
    expect(err.message.startsWith(`${field} `)).toBe(true);
  });

  it('accepts a Twilio ttl of exactly 24 hours', () => {
    expect(parseProvider({ ...TWILIO, ttl: 86_400 }, MAX_TTL).settings).toMatchObject({ ttl: 86_400 });
  });

  it('never quotes a refused value in its message', () => {
    const secret = `${'cd'.repeat(31)}zz`;
    expect(refusal({ ...INFOBIP, secretKeyHex: secret }).message).not.toContain(secret);
    const shortSecret = 'x'.repeat(300);
    expect(refusal({ ...STREAM, apiSecret: shortSecret }).message).not.toContain(shortSecret);
  });
});
