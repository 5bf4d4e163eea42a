// Records to DynamoDB items and back, by hand (no marshalling library): numbers as N, absent for null,
// JSON documents (metadata, claims) as one S attribute so their exact shape round-trips.
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type {
  EcosystemRecord,
  ExpiryType,
  RevocationRecord,
  ServerTokenRecord,
  TokenRecord,
  TokenReuse,
  TokenStatus,
  UserRecord,
} from '../core/ports.ts';
import type { JsonObject } from '../core/strict-json.ts';
import { itemKey, listKey } from './dynamodb-table.ts';

export type Item = Record<string, AttributeValue>;

/** A refresh family: its current head and whether it was revoked. */
export interface FamilyRecord {
  familyId: string;
  headId: string;
  revoked: boolean;
  purgeAt: number | null;
}

export const s = (value: string): AttributeValue => ({ S: value });
export const n = (value: number): AttributeValue => ({ N: String(value) });

function str(item: Item, name: string): string {
  const value = item[name]?.S;
  if (value === undefined) throw new Error(`item ${item.pk?.S} has no string ${name}`);
  return value;
}

function optStr(item: Item, name: string): string | null {
  return item[name]?.S ?? null;
}

function num(item: Item, name: string): number {
  const value = optNum(item, name);
  if (value === null) throw new Error(`item ${item.pk?.S} has no number ${name}`);
  return value;
}

export function optNum(item: Item, name: string): number | null {
  const value = item[name]?.N;
  return value === undefined ? null : Number(value);
}

/** Sets the attributes whose value is not null; DynamoDB has no use for explicit nulls here. */
function withOptional(item: Item, values: Record<string, AttributeValue | null>): Item {
  for (const [name, value] of Object.entries(values)) if (value !== null) item[name] = value;
  return item;
}

const optionalN = (value: number | null) => (value === null ? null : n(value));
const optionalS = (value: string | null) => (value === null ? null : s(value));

/** True when the item's TTL attribute has passed: DynamoDB deletes late, so readers decide themselves. */
export function isPurged(item: Item, now: number): boolean {
  const purgeAt = optNum(item, 'purgeAt');
  return purgeAt !== null && purgeAt <= now;
}

export const ecosystemItem = (e: EcosystemRecord): Item =>
  withOptional(
    {
      ...keyItem(itemKey.ecosystem(e.ecosystemId)),
      ...listItem(listKey.ecosystem(e.ecosystemId, e.createdAt)),
      ecosystemId: s(e.ecosystemId),
      createdAt: n(e.createdAt),
    },
    { name: optionalS(e.name) },
  );

export const ecosystemOf = (item: Item): EcosystemRecord => ({
  ecosystemId: str(item, 'ecosystemId'),
  name: optStr(item, 'name'),
  createdAt: num(item, 'createdAt'),
});

export const serverTokenItem = (r: ServerTokenRecord): Item => ({
  ...keyItem(itemKey.serverToken(r.ecosystemId, r.serverTokenId)),
  ecosystemId: s(r.ecosystemId),
  serverTokenId: s(r.serverTokenId),
  secretHash: s(r.secretHash),
  createdAt: n(r.createdAt),
});

export const serverTokenOf = (item: Item): ServerTokenRecord => ({
  ecosystemId: str(item, 'ecosystemId'),
  serverTokenId: str(item, 'serverTokenId'),
  secretHash: str(item, 'secretHash'),
  createdAt: num(item, 'createdAt'),
});

export function userOf(item: Item): UserRecord {
  const user: UserRecord = {
    ecosystemId: str(item, 'ecosystemId'),
    userId: str(item, 'userId'),
    metadata: JSON.parse(str(item, 'metadata')) as JsonObject,
    createdAt: num(item, 'createdAt'),
    generation: str(item, 'generation'),
  };
  const month = optStr(item, 'lastActiveMonth');
  if (month !== null) user.lastActiveMonth = month;
  return user;
}

export const tokenItem = (t: TokenRecord): Item =>
  withOptional(
    {
      ...keyItem(itemKey.token(t.tokenId)),
      ...listItem(listKey.token(t.ecosystemId, t.userId, t.issuedAt, t.tokenId)),
      tokenId: s(t.tokenId),
      ecosystemId: s(t.ecosystemId),
      userId: s(t.userId),
      expiryType: s(t.expiryType),
      familyId: s(t.familyId),
      userGeneration: s(t.userGeneration),
      issuedAt: n(t.issuedAt),
      claims: s(JSON.stringify(t.claims)),
      status: s(t.status),
    },
    {
      ttl: optionalN(t.ttl),
      absoluteExpiresAt: optionalN(t.absoluteExpiresAt),
      lastUsedAt: optionalN(t.lastUsedAt),
      successorId: optionalS(t.successorId),
      rotatedAt: optionalN(t.rotatedAt),
      purgeAt: optionalN(t.purgeAt),
      // A list (L), not a string set: it keeps the order and the spelling the token was signed with.
      audience: t.audience === undefined ? null : { L: t.audience.map(s) },
      label: t.label === undefined ? null : s(t.label),
      ...(t.reuse === undefined ? {} : reuseAttributes(t.reuse)),
    },
  );

/** A reuse as the attributes of the head it revoked: set with the revocation (dynamodb-rotation.ts). */
export const reuseAttributes = (r: TokenReuse): Item => ({
  reusedTokenId: s(r.presentedTokenId),
  reusedAt: n(r.at),
  reuseSecondsAfterGrace: n(r.secondsAfterGrace),
});

function reuseOf(item: Item): TokenReuse | undefined {
  const presentedTokenId = optStr(item, 'reusedTokenId');
  if (presentedTokenId === null) return undefined;
  return {
    presentedTokenId,
    at: num(item, 'reusedAt'),
    secondsAfterGrace: num(item, 'reuseSecondsAfterGrace'),
  };
}

export function tokenOf(item: Item): TokenRecord {
  const token = tokenFields(item);
  const reuse = reuseOf(item);
  if (reuse !== undefined) token.reuse = reuse;
  const audience = item.audience?.L;
  if (audience !== undefined) token.audience = audience.map((entry) => entry.S ?? '');
  const label = optStr(item, 'label');
  if (label !== null) token.label = label;
  return token;
}

const tokenFields = (item: Item): TokenRecord => ({
  tokenId: str(item, 'tokenId'),
  ecosystemId: str(item, 'ecosystemId'),
  userId: str(item, 'userId'),
  expiryType: str(item, 'expiryType') as ExpiryType,
  ttl: optNum(item, 'ttl'),
  absoluteExpiresAt: optNum(item, 'absoluteExpiresAt'),
  familyId: str(item, 'familyId'),
  userGeneration: str(item, 'userGeneration'),
  issuedAt: num(item, 'issuedAt'),
  lastUsedAt: optNum(item, 'lastUsedAt'),
  claims: JSON.parse(str(item, 'claims')) as JsonObject,
  status: str(item, 'status') as TokenStatus,
  successorId: optStr(item, 'successorId'),
  rotatedAt: optNum(item, 'rotatedAt'),
  purgeAt: optNum(item, 'purgeAt'),
});

export const familyItem = (f: FamilyRecord): Item =>
  withOptional(
    {
      ...keyItem(itemKey.family(f.familyId)),
      familyId: s(f.familyId),
      headId: s(f.headId),
      revoked: { BOOL: f.revoked },
    },
    { purgeAt: optionalN(f.purgeAt) },
  );

export const familyOf = (item: Item): FamilyRecord => ({
  familyId: str(item, 'familyId'),
  headId: str(item, 'headId'),
  revoked: item.revoked?.BOOL === true,
  purgeAt: optNum(item, 'purgeAt'),
});

export const revocationItem = (r: RevocationRecord): Item => ({
  ...keyItem(itemKey.revocation(r.ecosystemId, r.revocationId)),
  ecosystemId: s(r.ecosystemId),
  revocationId: s(r.revocationId),
  issuedBefore: n(r.issuedBefore),
  createdAt: n(r.createdAt),
});

export const revocationOf = (item: Item): RevocationRecord => ({
  ecosystemId: str(item, 'ecosystemId'),
  revocationId: str(item, 'revocationId'),
  issuedBefore: num(item, 'issuedBefore'),
  createdAt: num(item, 'createdAt'),
});

/** Usage counters are stored as `n_<count name>` number attributes of a day item. */
export const COUNT_PREFIX = 'n_';

export function countsOf(item: Item): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [name, value] of Object.entries(item)) {
    if (name.startsWith(COUNT_PREFIX) && value.N !== undefined)
      counts[name.slice(COUNT_PREFIX.length)] = Number(value.N);
  }
  return counts;
}

function listItem(key: { listPk: string; listSk: string }): Item {
  return { listPk: s(key.listPk), listSk: s(key.listSk) };
}

/** A `{ pk, sk }` key as DynamoDB attribute values. */
export function keyItem(key: { pk: string; sk: string }): Item {
  return { pk: s(key.pk), sk: s(key.sk) };
}
