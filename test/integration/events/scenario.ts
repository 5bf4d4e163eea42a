// One story of every security-relevant change, run through the real use-cases on whichever store the test
// gives, with what each change must emit and every token and secret it used: the embedded store's change
// records and DynamoDB Local's stream records must both turn into exactly these events.
import * as v from 'valibot';
import { expect } from 'vitest';
import { hashSecret } from '../../../functions/core/credentials.ts';
import {
  createEcosystem,
  createServerToken,
  deleteEcosystem,
  deleteServerToken,
} from '../../../functions/core/ecosystems.ts';
import type { TesseraEvent } from '../../../functions/core/events.ts';
import type { IssuedToken } from '../../../functions/core/issue-token.ts';
import type { RevocationRecord } from '../../../functions/core/ports.ts';
import { refreshToken } from '../../../functions/core/refresh-token.ts';
import {
  revokeAllUserTokens,
  revokePresentedToken,
  revokeTokenById,
} from '../../../functions/core/revoke-token.ts';
import { deleteUser, putUser } from '../../../functions/core/users.ts';
import { verifyToken } from '../../../functions/core/verify-token.ts';
import { EVENT_SCHEMA } from '../../../functions/events/event-schemas.ts';
import { issueFor, TEST_ACCOUNT_TOKEN, type TestDeps } from '../../helpers/deps.ts';

/** The grace period the story runs with; the reuse comes GRACE + 5 seconds after the rotation. */
export const GRACE_SECONDS = 10;

/** What an event must say, without its id and time (the test checks those apart). */
export type ExpectedEvent = Omit<TesseraEvent, 'id' | 'time' | 'detail'> & {
  detail?: Record<string, string | number | null>;
};

/** Where a store writes revocation items, when the test can: the store port has no such write yet. */
export interface RevocationWrites {
  put(record: RevocationRecord): Promise<void>;
  delete(record: RevocationRecord): Promise<void>;
}

export interface Story {
  ecosystemId: string;
  expected: ExpectedEvent[];
  /** Every token, server token, secret and secret hash the story used: none may be in any event. */
  secrets: string[];
}

const CLAIM_SECRET = 'sk_live_claim-value-that-must-not-leak';
const METADATA_SECRET = 'metadata-value-that-must-not-leak';

/** A token and the parts of it that are secret on their own (its payload and its signature). */
const tokenSecrets = (issued: IssuedToken) => [issued.token, ...issued.token.split('.').slice(1)];

/**
 * Runs the story on `deps` (a grace period of GRACE_SECONDS) and answers what it must emit.
 *
 * @example
 * const story = await runStory(deps);
 * expectStoryEvents(events, story);
 */
export async function runStory(deps: TestDeps, revocations?: RevocationWrites): Promise<Story> {
  expect(deps.config.refreshGraceSeconds).toBe(GRACE_SECONDS);
  const expected: ExpectedEvent[] = [];
  const secrets: string[] = [TEST_ACCOUNT_TOKEN, CLAIM_SECRET, METADATA_SECRET];

  const eco = await createEcosystem(deps, { name: 'events story' });
  const ecosystemId = eco.ecosystemId;
  const first = { serverTokenId: eco.serverTokenId };
  expected.push({ type: 'server_token.created', ecosystemId, detail: first });
  const second = await createServerToken(deps, ecosystemId);
  for (const issued of [eco.serverToken, second.serverToken])
    secrets.push(issued, issued.split('.').pop() ?? '');
  for (const record of await deps.serverTokens.listServerTokens(ecosystemId)) secrets.push(record.secretHash);
  secrets.push(hashSecret(TEST_ACCOUNT_TOKEN));
  expected.push({
    type: 'server_token.created',
    ecosystemId,
    detail: { serverTokenId: second.serverTokenId },
  });
  await deleteServerToken(deps, ecosystemId, second.serverTokenId);
  expected.push({
    type: 'server_token.deleted',
    ecosystemId,
    detail: { serverTokenId: second.serverTokenId },
  });

  // Users come and change metadata: no event.
  for (const userId of ['alice', 'bob', 'carol']) {
    await putUser(deps, { ecosystemId, userId, metadata: { note: METADATA_SECRET } });
  }
  await putUser(deps, { ecosystemId, userId: 'alice', metadata: { plan: 'pro' } });
  const on = (userId: string) => ({ ecosystemId, userId });

  // Revoked by id.
  const t1 = await issueFor(
    deps,
    { expiryType: 'FixedTtl', ttl: '600' },
    { ...on('alice'), claims: { key: CLAIM_SECRET }, label: 'Pixel 8' },
  );
  secrets.push(...tokenSecrets(t1));
  await revokeTokenById(deps, { ...on('alice'), tokenId: t1.tokenId });
  expected.push({
    type: 'token.revoked',
    ...on('alice'),
    tokenId: t1.tokenId,
    familyId: t1.tokenId,
    detail: { label: 'Pixel 8' },
  });

  // Rotated (no event), then the rotated-away token presented 5 s after its grace period: reused.
  // Its label, given at issue, is kept by the refresh and carried in the event.
  const t2 = await issueFor(
    deps,
    { expiryType: 'SlidingTtl', ttl: '600' },
    { ...on('alice'), label: 'Work laptop' },
  );
  const t3 = await refreshToken(deps, t2.token);
  secrets.push(...tokenSecrets(t2), ...tokenSecrets(t3));
  deps.clock.advance(GRACE_SECONDS + 5);
  await expect(refreshToken(deps, t2.token)).rejects.toMatchObject({ code: 'TOKEN_REUSED' });
  expected.push({
    type: 'token.reused',
    ...on('alice'),
    tokenId: t2.tokenId,
    familyId: t2.tokenId,
    detail: {
      presentedTokenId: t2.tokenId,
      newestTokenId: t3.tokenId,
      secondsAfterGrace: 5,
      label: 'Work laptop',
    },
  });

  // A sliding use (a touch) is no event; a logout is.
  const t4 = await issueFor(deps, { expiryType: 'SlidingTtl', ttl: '600' }, on('bob'));
  secrets.push(...tokenSecrets(t4));
  deps.clock.advance(120);
  await verifyToken(deps, t4.token);
  await revokePresentedToken(deps, t4.token);
  expected.push({
    type: 'token.revoked',
    ...on('bob'),
    tokenId: t4.tokenId,
    familyId: t4.tokenId,
    detail: { label: null },
  });

  await revokeAllUserTokens(deps, on('bob'));
  expected.push({ type: 'user.tokens_revoked', ...on('bob'), detail: {} });
  await deleteUser(deps, on('carol'));
  expected.push({ type: 'user.deleted', ...on('carol'), detail: {} });

  if (revocations !== undefined) {
    const now = Math.floor(deps.clock.now() / 1000);
    const revocation = { ecosystemId, revocationId: 'rev1', issuedBefore: now - 30, createdAt: now };
    await revocations.put(revocation);
    await revocations.delete(revocation);
    for (const type of ['ecosystem.revocation_created', 'ecosystem.revocation_deleted'] as const) {
      expected.push({ type, ecosystemId, detail: { revocationId: 'rev1' } });
    }
  }

  // Deleting the ecosystem deletes what it holds: its last server token and users, then itself.
  await deleteEcosystem(deps, ecosystemId);
  expected.push({ type: 'server_token.deleted', ecosystemId, detail: first });
  for (const userId of ['alice', 'bob']) expected.push({ type: 'user.deleted', ...on(userId), detail: {} });
  expected.push({ type: 'ecosystem.deleted', ecosystemId, detail: { name: 'events story' } });
  return { ecosystemId, expected, secrets: secrets.filter((s) => s.length >= 8) };
}

/** An order that does not depend on delivery: by type, then what tells two events of a type apart. */
function byWhat(a: ExpectedEvent, b: ExpectedEvent): number {
  const key = (e: ExpectedEvent) =>
    JSON.stringify([e.type, e.userId, e.tokenId, e.detail?.serverTokenId, e.detail?.revocationId]);
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
}

/**
 * The checks both event paths share: exactly the story's events (each naming the same ecosystem, user,
 * token and family, its detail holding what the story says), each as its documented schema has it,
 * distinct ids, ISO times, and not one token or secret of the story anywhere in their text.
 */
export function expectStoryEvents(events: readonly TesseraEvent[], story: Story): void {
  const actual = [...events].sort(byWhat);
  const wanted = [...story.expected].sort(byWhat);
  expect(actual.map((e) => e.type)).toEqual(wanted.map((e) => e.type));
  actual.forEach((event, i) => {
    const { id: _id, time: _time, detail, ...names } = event;
    const { detail: wantedDetail = {}, ...wantedNames } = wanted[i] as ExpectedEvent;
    expect(names).toEqual(wantedNames);
    expect(detail).toMatchObject(wantedDetail);
  });
  expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  for (const event of events) {
    const checked = v.safeParse(EVENT_SCHEMA, event);
    expect(
      checked.issues?.map((i) => i.message),
      `${event.type} as docs/events/ says`,
    ).toBeUndefined();
    expect(event.id).toMatch(/^[0-9a-f]{32}$/);
    expect(new Date(event.time).toISOString()).toBe(event.time);
  }
  const text = JSON.stringify(events);
  for (const secret of story.secrets) {
    expect(text.includes(secret), `an event holds ${secret.slice(0, 12)}…`).toBe(false);
  }
}
