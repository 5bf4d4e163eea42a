// The embedded store's TokenState: token records, their sliding touches, rotation by refresh and revocation
// of a family, over the shared tables (embedded-tables.ts). Reads treat a token or family past its purgeAt as
// absent, like the DynamoDB store, so both answer alike whether or not the record was deleted yet.
import type {
  RehomeFamilyInput,
  RotateResult,
  TokenContext,
  TokenRecord,
  TokenReuse,
  TokenState,
} from '../core/ports.ts';
import { copy, type EmbeddedTables, pair } from './embedded-tables.ts';

/** Token state in the embedded store's tables. */
export class EmbeddedTokenState implements TokenState {
  readonly #t: EmbeddedTables;

  constructor(tables: EmbeddedTables) {
    this.#t = tables;
  }

  async putToken(record: TokenRecord): Promise<void> {
    if (this.#t.tokens.has(record.tokenId)) throw new Error(`token id collision: ${record.tokenId}`);
    this.#t.tokens.set(record.tokenId, copy(record) as TokenRecord);
    this.#t.changed('token', undefined, record);
    await this.#t.commit();
  }

  async getToken(tokenId: string): Promise<TokenRecord | undefined> {
    return copy(this.#t.live(this.#t.tokens.get(tokenId)));
  }

  async getTokenContext(tokenId: string, ecosystemId: string, userId: string): Promise<TokenContext> {
    return {
      token: copy(this.#t.live(this.#t.tokens.get(tokenId))),
      user: copy(this.#t.users.get(pair(ecosystemId, userId))),
    };
  }

  async touchToken(tokenId: string, previousLastUsedAt: number, lastUsedAt: number, purgeAt: number | null) {
    const token = this.#t.tokens.get(tokenId);
    if (token?.status !== 'active' || token.lastUsedAt !== previousLastUsedAt) return false;
    if (token.purgeAt !== null && token.purgeAt <= lastUsedAt) return false; // past its deadline: never revive
    const before = copy(token);
    token.lastUsedAt = lastUsedAt;
    token.purgeAt = purgeAt;
    this.#t.changed('token', before, token);
    await this.#t.commit();
    return true;
  }

  async rotateToken(input: {
    oldTokenId: string;
    rotatedAt: number;
    oldPurgeAt: number | null;
    successor: TokenRecord;
  }): Promise<RotateResult> {
    const old = this.#t.live(this.#t.tokens.get(input.oldTokenId));
    const family = this.#t.live(this.#t.families.get(input.successor.familyId));
    // A revoke-others that re-homed the old token since it was read leaves it in another generation.
    const rehomed = old !== undefined && old.userGeneration !== input.successor.userGeneration;
    if (old?.status !== 'active' || family?.revoked === true || rehomed) {
      return { ok: false, current: copy(old), familyRevoked: family?.revoked === true };
    }
    const before = copy(old);
    old.status = 'rotated';
    old.successorId = input.successor.tokenId;
    old.rotatedAt = input.rotatedAt;
    if (old.lastUsedAt !== null) old.lastUsedAt = input.rotatedAt;
    old.purgeAt = input.oldPurgeAt;
    this.#t.tokens.set(input.successor.tokenId, copy(input.successor) as TokenRecord);
    this.#t.changed('token', before, old);
    this.#t.changed('token', undefined, input.successor);
    this.#t.families.set(input.successor.familyId, {
      familyId: input.successor.familyId,
      headId: input.successor.tokenId,
      revoked: false,
      purgeAt: input.successor.purgeAt,
    });
    await this.#t.commit();
    return { ok: true };
  }

  async revokeFamily(familyId: string, memberId: string, reuse?: TokenReuse): Promise<void> {
    const family = this.#t.live(this.#t.families.get(familyId));
    const head = this.#t.live(this.#t.tokens.get(family?.headId ?? memberId));
    if (family !== undefined) family.revoked = true;
    if (head !== undefined) {
      const before = copy(head);
      head.status = 'revoked';
      if (reuse !== undefined) head.reuse = { ...reuse };
      this.#t.changed('token', before, head);
    }
    await this.#t.commit();
  }

  async rehomeFamily(input: RehomeFamilyInput): Promise<boolean> {
    const user = this.#t.users.get(pair(input.ecosystemId, input.userId));
    const family = this.#t.live(this.#t.families.get(input.familyId));
    const head = this.#t.live(this.#t.tokens.get(family?.headId ?? input.memberId));
    if (user?.generation !== input.fromGeneration || family?.revoked === true) return false;
    if (head?.status !== 'active' || head.userGeneration !== input.fromGeneration) return false;
    const [userBefore, headBefore] = [copy(user), copy(head)];
    user.generation = input.toGeneration;
    head.userGeneration = input.toGeneration;
    this.#t.changed('user', userBefore, user);
    this.#t.changed('token', headBefore, head);
    await this.#t.commit();
    return true;
  }

  async listUserTokens(ecosystemId: string, userId: string): Promise<TokenRecord[]> {
    return [...this.#t.tokens.values()]
      .filter((t) => t.ecosystemId === ecosystemId && t.userId === userId && this.#t.live(t) !== undefined)
      .map((t) => copy(t) as TokenRecord);
  }
}
