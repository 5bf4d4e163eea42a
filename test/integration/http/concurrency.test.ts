// Twenty refreshes of one token fired at the local server at once: a conditional write decides, not
// timing, so every answer carries the same successor and the store holds exactly one.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STORE_FILE } from '../../../functions/adapters/embedded-store.ts';
import type { TokenRecord } from '../../../functions/core/ports.ts';
import { frozenClock } from '../../helpers/clock.ts';
import { useSeededServer } from '../../helpers/use-test-server.ts';

const PARALLEL = 20;

// A frozen clock keeps every refresh within the grace period however slowly the machine answers.
const { server, seed } = useSeededServer({ clock: frozenClock() });

/** The token records of a family as the store has written them to its data folder. */
async function storedFamily(familyId: string): Promise<TokenRecord[]> {
  await server.local.store.flush();
  const snapshot = JSON.parse(await readFile(join(server.dataDir, STORE_FILE), 'utf8')) as {
    tokens: TokenRecord[];
  };
  return snapshot.tokens.filter((t) => t.familyId === familyId);
}

describe('concurrent refreshes of one token', () => {
  for (const model of ['SlidingTtl&ttl=600', 'FixedTtl&ttl=600', 'Infinite']) {
    it(`yield exactly one successor (${model.split('&')[0]})`, async () => {
      const path = `/v1/ecosystems/${seed.ecosystemId}/users/alice/tokens?expiryType=${model}`;
      const issued = (await server.call('POST', path, { bearer: seed.serverToken })).body;

      const answers = await Promise.all(
        Array.from({ length: PARALLEL }, () =>
          server.call('POST', '/v1/tokens/refresh', { body: { token: issued.token } }),
        ),
      );

      expect(answers.map((a) => a.status)).toEqual(Array(PARALLEL).fill(200));
      const successorIds = new Set(answers.map((a) => a.body.tokenId));
      expect(successorIds.size).toBe(1);
      const [successorId] = successorIds;
      expect(successorId).not.toBe(issued.tokenId);

      const family = await storedFamily(issued.tokenId);
      expect(family.map((t) => t.tokenId).sort()).toEqual([issued.tokenId, successorId].sort());
      expect(family.find((t) => t.tokenId === issued.tokenId)).toMatchObject({
        status: 'rotated',
        successorId,
      });
      expect(family.find((t) => t.tokenId === successorId)).toMatchObject({ status: 'active' });

      // Each answer is a usable token of that one successor.
      for (const answer of answers.slice(0, 3)) {
        const verified = await server.call('POST', '/v1/tokens/verify', {
          body: { token: answer.body.token },
        });
        expect(verified.body.tokenId).toBe(successorId);
      }
    });
  }
});
