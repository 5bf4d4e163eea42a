// Audience-bound tokens and labels on a frozen clock: issue signs `audience` as `aud` (and keeps a label on
// the record), verify checks an asked-for audience against it, refresh keeps both, and the reader refuses
// an `aud` Tessera would never sign.
import { describe, expect, it } from 'vitest';
import { refreshToken } from '../../../functions/core/refresh-token.ts';
import { listUserTokens } from '../../../functions/core/users.ts';
import { verifyToken } from '../../../functions/core/verify-token.ts';
import { issueFor, seededDeps } from '../../helpers/deps.ts';
import { forgeToken, ourHeader, payloadOf } from '../../helpers/forge.ts';

const alice = { ecosystemId: 'eco1', userId: 'alice' };
const AUDIENCE_INVALID = { code: 'TOKEN_AUDIENCE_INVALID' };
const BODY_INVALID = { code: 'BODY_INVALID' };

describe('issue with an audience', () => {
  it('signs the audiences as an aud list and answers them on verify', async () => {
    const deps = await seededDeps();
    const issued = await issueFor(deps, { expiryType: 'FixedTtl' }, { audience: ['chat-api', 'admin-api'] });
    expect(payloadOf(issued.token).aud).toEqual(['chat-api', 'admin-api']);
    const verified = await verifyToken(deps, issued.token);
    expect(verified.audience).toEqual(['chat-api', 'admin-api']);
    expect(verified.claims).toEqual({}); // aud is Tessera's claim now, not an extra one
  });

  it('signs no aud without one, and verify answers null', async () => {
    const deps = await seededDeps();
    const issued = await issueFor(deps);
    expect(payloadOf(issued.token)).not.toHaveProperty('aud');
    expect((await verifyToken(deps, issued.token)).audience).toBeNull();
  });

  it.each([
    ['a string, not a list', 'chat-api'],
    ['an empty list', []],
    ['nine audiences', Array.from({ length: 9 }, (_, i) => `api-${i}`)],
    ['an empty audience', ['']],
    ['a number', [42]],
    ['129 code points', ['😀'.repeat(129)]],
    ['a lone surrogate', ['\ud800']],
    ['null', null],
  ])('refuses %s with BODY_INVALID, naming the member', async (_, audience) => {
    const deps = await seededDeps();
    await expect(issueFor(deps, {}, { audience })).rejects.toMatchObject({
      ...BODY_INVALID,
      message: expect.stringContaining('audience'),
    });
  });

  it('takes eight audiences of 128 code points each (an emoji is one)', async () => {
    const deps = await seededDeps();
    const audience = Array.from({ length: 8 }, (_, i) => `${i}${'😀'.repeat(127)}`);
    const issued = await issueFor(deps, {}, { audience });
    expect((await verifyToken(deps, issued.token)).audience).toEqual(audience);
  });
});

describe('verify with an audience', () => {
  it('lets a token through whose aud holds the audience asked for', async () => {
    const deps = await seededDeps();
    const { token } = await issueFor(deps, {}, { audience: ['chat-api', 'admin-api'] });
    await expect(verifyToken(deps, token, { audience: 'admin-api' })).resolves.toMatchObject({ valid: true });
  });

  it('refuses a token whose aud lacks it, and one with no aud at all', async () => {
    const deps = await seededDeps();
    const bound = await issueFor(deps, {}, { audience: ['chat-api'] });
    const unbound = await issueFor(deps);
    await expect(verifyToken(deps, bound.token, { audience: 'admin-api' })).rejects.toMatchObject({
      ...AUDIENCE_INVALID,
      message: expect.stringContaining('"admin-api"'),
    });
    await expect(verifyToken(deps, unbound.token, { audience: 'chat-api' })).rejects.toMatchObject({
      ...AUDIENCE_INVALID,
      message: expect.stringContaining('no audience'),
    });
  });

  it('matches exactly: no prefix, no case folding', async () => {
    const deps = await seededDeps();
    const { token } = await issueFor(deps, {}, { audience: ['chat-api'] });
    for (const audience of ['chat', 'Chat-api', 'chat-api ']) {
      await expect(verifyToken(deps, token, { audience })).rejects.toMatchObject(AUDIENCE_INVALID);
    }
  });

  it('checks nothing when no audience is asked for', async () => {
    const deps = await seededDeps();
    const { token } = await issueFor(deps, {}, { audience: ['chat-api'] });
    await expect(verifyToken(deps, token)).resolves.toMatchObject({ valid: true });
  });

  it.each([
    ['a list', ['chat-api']],
    ['an empty string', ''],
    ['129 characters', 'a'.repeat(129)],
    ['a number', 7],
    ['null', null],
  ])(
    'refuses an audience that is %s with BODY_INVALID, before the token is looked at',
    async (_, audience) => {
      const deps = await seededDeps();
      await expect(verifyToken(deps, 'not-a-token', { audience })).rejects.toMatchObject(BODY_INVALID);
    },
  );

  it('refuses the wrong audience before any store read, and counts it as a refusal of its own', async () => {
    const deps = await seededDeps();
    const { token, tokenId } = await issueFor(deps, {}, { audience: ['chat-api'] });
    await deps.tokens.revokeFamily(tokenId, tokenId); // revoked too: the audience is told first
    await expect(verifyToken(deps, token, { audience: 'admin-api' })).rejects.toMatchObject(AUDIENCE_INVALID);
    await deps.usage.flush();
    const { days } = await deps.usageCounters.getUsage('eco1', '2027-01-15', '2027-01-15');
    expect(days[0]?.counts).toMatchObject({ 'refused.TOKEN_AUDIENCE_INVALID': 1 });
  });
});

describe('refresh keeps the audience and the label', () => {
  it("signs the successor with the family's aud and keeps its label on the record", async () => {
    const deps = await seededDeps();
    const issued = await issueFor(deps, {}, { audience: ['chat-api'], label: 'Pixel 8' });
    deps.clock.advance(5);
    const successor = await refreshToken(deps, issued.token);
    expect(payloadOf(successor.token).aud).toEqual(['chat-api']);
    await expect(verifyToken(deps, successor.token, { audience: 'chat-api' })).resolves.toMatchObject({
      audience: ['chat-api'],
    });
    const { tokens } = await listUserTokens(deps, alice);
    expect(tokens.map((t) => [t.tokenId, t.label])).toEqual([[successor.tokenId, 'Pixel 8']]);
  });
});

describe('labels', () => {
  it("are listed with the user's tokens, null where none was given", async () => {
    const deps = await seededDeps();
    const phone = await issueFor(deps, {}, { label: 'Pixel 8 📱' });
    deps.clock.advance(1);
    const bare = await issueFor(deps);
    const { tokens } = await listUserTokens(deps, alice);
    expect(tokens.map((t) => [t.tokenId, t.label])).toEqual([
      [phone.tokenId, 'Pixel 8 📱'],
      [bare.tokenId, null],
    ]);
    expect(payloadOf(phone.token)).not.toHaveProperty('label'); // on the record only, never signed
  });

  it.each([
    ['empty', ''],
    ['65 code points', 'é'.repeat(65)],
    ['not a string', 7],
    ['a lone surrogate', 'phone \udc00'],
  ])('refuses a label that is %s with BODY_INVALID', async (_, label) => {
    const deps = await seededDeps();
    await expect(issueFor(deps, {}, { label })).rejects.toMatchObject({
      ...BODY_INVALID,
      message: expect.stringContaining('label'),
    });
  });

  it('takes 64 code points', async () => {
    const deps = await seededDeps();
    await expect(issueFor(deps, {}, { label: '😀'.repeat(64) })).resolves.toMatchObject({});
  });
});

describe("the reader's aud rules", () => {
  it.each([
    ['a string (the RFC form Tessera never signs)', 'chat-api'],
    ['an empty list', []],
    ['nine audiences', Array.from({ length: 9 }, (_, i) => `a${i}`)],
    ['a number in the list', ['chat-api', 1]],
    ['an empty audience', ['']],
    ['an object', { aud: 'x' }],
  ])('refuses an aud that is %s, even signed with our key', async (_, aud) => {
    const deps = await seededDeps();
    const issued = await issueFor(deps, { expiryType: 'Infinite' });
    const forged = await forgeToken(deps.signer, await ourHeader(deps.signer), {
      ...payloadOf(issued.token),
      aud,
    });
    await expect(verifyToken(deps, forged)).rejects.toMatchObject({
      code: 'TOKEN_STRUCTURE_INVALID',
      message: expect.stringContaining('aud'),
    });
  });
});
