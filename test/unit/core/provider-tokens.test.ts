// The provider tokens against the providers' own libraries: Twilio's AccessToken and Stream's server-side
// createToken build the very same token string (header, claims, grant shapes, member order, signature) on
// the same clock, and Infobip's token passes the Mobile Messaging SDK's pre-request check and verifies with
// the hex-decoded secret.
import { createHmac, randomBytes } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { StreamChat } from 'stream-chat';
import twilio from 'twilio';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hs256, mintProviderToken } from '../../../functions/core/provider-tokens.ts';
import type { TwilioGrants, TwilioSettings } from '../../../functions/core/providers-model.ts';
import { infobipPreRequestCheck } from '../../helpers/infobip-check.ts';

const NOW = 1_796_000_000; // 2026-11-30T…Z, a whole second
const hex32 = (prefix: string) => `${prefix}${randomBytes(16).toString('hex')}`;
const { AccessToken } = twilio.jwt;

function parts(token: string) {
  const [header = '', payload = '', signature = ''] = token.split('.');
  const json = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
  return { header: json(header), payload: json(payload), signature, signingInput: `${header}.${payload}` };
}

/** What the helper library answers at NOW for the same settings and user. */
function twilioLibraryToken(settings: TwilioSettings, secret: string, identity: string): string {
  vi.useFakeTimers({ now: NOW * 1000, toFake: ['Date'] });
  const token = new AccessToken(settings.accountSid, settings.apiKeySid, secret, {
    identity,
    ttl: settings.ttl,
  });
  const { chat, video, voice } = settings.grants;
  if (chat !== undefined) token.addGrant(new AccessToken.ChatGrant({ serviceSid: chat.serviceSid }));
  if (video !== undefined) token.addGrant(new AccessToken.VideoGrant(video));
  if (voice !== undefined) token.addGrant(new AccessToken.VoiceGrant(voice));
  return token.toJwt();
}

afterEach(() => {
  vi.useRealTimers();
});

describe('hs256', () => {
  it('signs the base64url signing input with HMAC-SHA256, as JWS does', () => {
    const token = hs256({ alg: 'HS256', typ: 'JWT' }, { a: 1 }, 'key');
    const { signingInput, signature } = parts(token);
    expect(signature).toBe(createHmac('sha256', 'key').update(signingInput).digest('base64url'));
  });
});

describe('Twilio access tokens', () => {
  const twilioSettings = (grants: TwilioGrants, ttl = 3600): TwilioSettings => ({
    type: 'twilio',
    accountSid: hex32('AC'),
    apiKeySid: hex32('SK'),
    grants,
    ttl,
  });
  const cases: [string, TwilioGrants][] = [
    ['a chat grant', { chat: { serviceSid: hex32('IS') } }],
    ['a video grant without a room (an empty object)', { video: {} }],
    ['a video grant for one room', { video: { room: 'daily-standup' } }],
    ['a voice grant, outgoing only', { voice: { outgoingApplicationSid: hex32('AP') } }],
    ['a voice grant, incoming allowed', { voice: { incomingAllow: true } }],
    ['a voice grant with incoming not allowed (no incoming member)', { voice: { incomingAllow: false } }],
    [
      'all three grants',
      {
        chat: { serviceSid: hex32('IS') },
        video: { room: 'r1' },
        voice: { outgoingApplicationSid: hex32('AP'), incomingAllow: true },
      },
    ],
  ];

  it.each(cases)('is the helper library token byte for byte, with %s', (_name, grants) => {
    const settings = twilioSettings(grants, 900);
    const secret = randomBytes(16).toString('hex');
    const minted = mintProviderToken(settings, { userId: 'alice', now: NOW, secret });
    expect(minted.token).toBe(twilioLibraryToken(settings, secret, 'alice'));
    expect(minted.expiresAt).toBe(NOW + 900);
  });

  it('has the header, claims and grant shapes of the contract, and verifies with the API key secret', async () => {
    const settings = twilioSettings({ chat: { serviceSid: hex32('IS') }, voice: { incomingAllow: true } });
    const secret = randomBytes(16).toString('hex');
    const { token } = mintProviderToken(settings, { userId: 'alice', now: NOW, secret });
    const { header, payload } = parts(token);
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' });
    expect(payload).toEqual({
      jti: `${settings.apiKeySid}-${NOW}`,
      grants: {
        identity: 'alice',
        chat: { service_sid: settings.grants.chat?.serviceSid },
        voice: { incoming: { allow: true } },
      },
      iat: NOW,
      exp: NOW + 3600,
      iss: settings.apiKeySid,
      sub: settings.accountSid,
    });
    const verified = await jwtVerify(token, Buffer.from(secret), { currentDate: new Date(NOW * 1000) });
    expect(verified.protectedHeader.alg).toBe('HS256');
    await expect(jwtVerify(token, Buffer.from(`${secret}x`))).rejects.toThrow();
  });
});

describe('Stream user tokens', () => {
  const secret = randomBytes(32).toString('hex');
  const server = StreamChat.getInstance('api-key', secret);

  it('is createToken(userId, exp) byte for byte with a ttl: user_id and exp, no iat', () => {
    const minted = mintProviderToken({ type: 'stream', ttl: 600 }, { userId: 'alice', now: NOW, secret });
    expect(minted.token).toBe(server.createToken('alice', NOW + 600));
    expect(parts(minted.token).payload).toEqual({ user_id: 'alice', exp: NOW + 600 });
    expect(minted.expiresAt).toBe(NOW + 600);
  });

  it('is createToken(userId) byte for byte without a ttl: no exp, expiresAt null', () => {
    const minted = mintProviderToken({ type: 'stream', ttl: null }, { userId: 'bob', now: NOW, secret });
    expect(minted.token).toBe(server.createToken('bob'));
    expect(parts(minted.token).header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(minted.expiresAt).toBeNull();
  });
});

describe('Infobip user data JWTs', () => {
  const secretKeyHex = randomBytes(32).toString('hex');
  const settings = { type: 'infobip', applicationCode: 'app-code-1', keyId: 'key-7', ttl: 300 } as const;
  const mint = (userId = 'alice') => mintProviderToken(settings, { userId, now: NOW, secret: secretKeyHex });

  it("passes the Mobile Messaging SDK's pre-request check until it expires, then answers JWT_TOKEN_EXPIRED", () => {
    const { token, expiresAt } = mint();
    expect(infobipPreRequestCheck(token, NOW)).toEqual({ ok: true });
    expect(infobipPreRequestCheck(token, NOW + 299)).toEqual({ ok: true });
    expect(infobipPreRequestCheck(token, NOW + 300)).toMatchObject({ code: 'JWT_TOKEN_EXPIRED' });
    expect(expiresAt).toBe(NOW + 300);
  });

  it('the check refuses what lacks a mandatory header or claim (it can fail)', () => {
    const noKid = hs256({ alg: 'HS256', typ: 'JWT' }, { ...(parts(mint().token).payload as object) }, 'k');
    expect(infobipPreRequestCheck(noKid, NOW)).toMatchObject({ code: 'JWT_TOKEN_STRUCTURE_INVALID' });
    const { jti: _jti, ...noJti } = parts(mint().token).payload as Record<string, unknown>;
    const withoutJti = hs256({ alg: 'HS256', typ: 'JWT', kid: 'key-7' }, noJti, 'k');
    expect(infobipPreRequestCheck(withoutJti, NOW)).toMatchObject({
      code: 'JWT_TOKEN_STRUCTURE_INVALID',
      message: 'Token payload is missing mandatory claim jti',
    });
  });

  it('carries kid, typ Bearer, sub, infobip-api-key and iss, and verifies with the hex-decoded secret', async () => {
    const { token } = mint();
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT', kid: 'key-7' });
    const { payload } = await jwtVerify(token, Buffer.from(secretKeyHex, 'hex'), {
      currentDate: new Date(NOW * 1000),
    });
    expect(payload).toEqual({
      typ: 'Bearer',
      sub: 'alice',
      'infobip-api-key': 'app-code-1',
      iss: 'app-code-1',
      iat: NOW,
      exp: NOW + 300,
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    await expect(jwtVerify(token, Buffer.from(secretKeyHex))).rejects.toThrow(); // the hex text is not the key
  });

  it('gives every token its own jti', () => {
    const jtis = new Set(
      Array.from({ length: 20 }, () => (parts(mint().token).payload as { jti: string }).jti),
    );
    expect(jtis.size).toBe(20);
  });
});
