// Ecosystems and their server tokens: creation, lookup, deletion, and rotation without downtime.
import { describe, expect, it } from 'vitest';
import { isoFromSeconds } from '../../../functions/core/clock.ts';
import { authenticate } from '../../../functions/core/credentials.ts';
import {
  createEcosystem,
  createServerToken,
  deleteEcosystem,
  deleteServerToken,
  getEcosystem,
  listServerTokens,
  MAX_NAME_LENGTH,
} from '../../../functions/core/ecosystems.ts';
import { testDeps } from '../../helpers/deps.ts';

const bearer = (token: string) => `Bearer ${token}`;

describe('createEcosystem', () => {
  it('answers the ecosystem with its first server token, shown once', async () => {
    const deps = await testDeps();
    const created = await createEcosystem(deps, { name: 'Acme' });
    expect(created).toEqual({
      ecosystemId: expect.stringMatching(/^[0-9a-f]{16}$/),
      name: 'Acme',
      serverTokenId: expect.stringMatching(/^[0-9a-f]{24}$/),
      serverToken: expect.stringMatching(/^tss\./),
      createdAt: isoFromSeconds(deps.clock.seconds()),
    });
    await expect(getEcosystem(deps, created.ecosystemId)).resolves.toEqual({
      ecosystemId: created.ecosystemId,
      name: 'Acme',
      createdAt: created.createdAt,
    });
  });

  it('leaves the name null when none is given, and accepts one of the maximum length', async () => {
    const deps = await testDeps();
    await expect(createEcosystem(deps, {})).resolves.toMatchObject({ name: null });
    const longest = 'n'.repeat(MAX_NAME_LENGTH);
    await expect(createEcosystem(deps, { name: longest })).resolves.toMatchObject({ name: longest });
  });

  it('counts the name in code points: as many emoji as the maximum fit, one more does not', async () => {
    const deps = await testDeps();
    const emoji = '😀'.repeat(MAX_NAME_LENGTH); // twice MAX_NAME_LENGTH UTF-16 units
    await expect(createEcosystem(deps, { name: emoji })).resolves.toMatchObject({ name: emoji });
    await expect(createEcosystem(deps, { name: `${emoji}😀` })).rejects.toMatchObject({
      code: 'BODY_INVALID',
    });
  });

  it.each([[''], ['n'.repeat(MAX_NAME_LENGTH + 1)], [42], [{}], [['Acme']]])(
    'refuses the name %j with BODY_INVALID',
    async (name) => {
      const deps = await testDeps();
      await expect(createEcosystem(deps, { name })).rejects.toMatchObject({ code: 'BODY_INVALID' });
    },
  );
});

describe('getEcosystem and deleteEcosystem', () => {
  it('answer ECOSYSTEM_NOT_FOUND for an unknown ecosystem', async () => {
    const deps = await testDeps();
    await expect(getEcosystem(deps, 'nowhere')).rejects.toMatchObject({ code: 'ECOSYSTEM_NOT_FOUND' });
    await expect(deleteEcosystem(deps, 'nowhere')).rejects.toMatchObject({ code: 'ECOSYSTEM_NOT_FOUND' });
  });

  it('deletes an ecosystem once: it is gone, and so are its server tokens', async () => {
    const deps = await testDeps();
    const { ecosystemId, serverToken } = await createEcosystem(deps, {});
    await deleteEcosystem(deps, ecosystemId);
    await expect(getEcosystem(deps, ecosystemId)).rejects.toMatchObject({ code: 'ECOSYSTEM_NOT_FOUND' });
    await expect(authenticate(deps, bearer(serverToken))).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(deleteEcosystem(deps, ecosystemId)).rejects.toMatchObject({ code: 'ECOSYSTEM_NOT_FOUND' });
  });
});

describe('server-token rotation', () => {
  it('adds a working server token while the older one keeps working', async () => {
    const deps = await testDeps();
    const ecosystem = await createEcosystem(deps, {});
    deps.clock.advance(60);
    const added = await createServerToken(deps, ecosystem.ecosystemId);
    expect(added).toEqual({
      serverTokenId: expect.stringMatching(/^[0-9a-f]{24}$/),
      serverToken: expect.stringMatching(
        new RegExp(`^tss\\.${ecosystem.ecosystemId}\\.${added.serverTokenId}\\.`),
      ),
      createdAt: isoFromSeconds(deps.clock.seconds()),
    });
    expect(added.serverTokenId).not.toBe(ecosystem.serverTokenId);
    for (const token of [ecosystem.serverToken, added.serverToken]) {
      await expect(authenticate(deps, bearer(token))).resolves.toMatchObject({ kind: 'server' });
    }
  });

  it('lists the server tokens oldest first, with ids and creation times, never the secrets', async () => {
    const deps = await testDeps();
    const ecosystem = await createEcosystem(deps, {});
    deps.clock.advance(60);
    const added = await createServerToken(deps, ecosystem.ecosystemId);
    const other = await createEcosystem(deps, {});
    const listing = await listServerTokens(deps, ecosystem.ecosystemId);
    expect(listing).toEqual({
      serverTokens: [
        { serverTokenId: ecosystem.serverTokenId, createdAt: ecosystem.createdAt },
        { serverTokenId: added.serverTokenId, createdAt: added.createdAt },
      ],
    });
    const text = JSON.stringify(listing);
    for (const { serverToken } of [ecosystem, added, other]) {
      expect(text).not.toContain(serverToken.split('.')[3]);
    }
  });

  it('lists server tokens made within one second oldest first too', async () => {
    const deps = await testDeps();
    const ecosystem = await createEcosystem(deps, {});
    const made = [ecosystem.serverTokenId];
    for (let i = 0; i < 8; i++) {
      deps.clock.advance(0.001);
      made.push((await createServerToken(deps, ecosystem.ecosystemId)).serverTokenId);
    }
    const { serverTokens } = await listServerTokens(deps, ecosystem.ecosystemId);
    expect(new Set(serverTokens.map((t) => t.createdAt)).size).toBe(1);
    expect(serverTokens.map((t) => t.serverTokenId)).toEqual(made);
  });

  it('deletes one server token: it stops working at once, the others keep working', async () => {
    const deps = await testDeps();
    const ecosystem = await createEcosystem(deps, {});
    const added = await createServerToken(deps, ecosystem.ecosystemId);
    await deleteServerToken(deps, ecosystem.ecosystemId, ecosystem.serverTokenId);
    await expect(authenticate(deps, bearer(ecosystem.serverToken))).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    await expect(authenticate(deps, bearer(added.serverToken))).resolves.toMatchObject({ kind: 'server' });
    await expect(listServerTokens(deps, ecosystem.ecosystemId)).resolves.toEqual({
      serverTokens: [{ serverTokenId: added.serverTokenId, createdAt: added.createdAt }],
    });
  });

  it('answers SERVER_TOKEN_NOT_FOUND for an unknown, already deleted or foreign server token', async () => {
    const deps = await testDeps();
    const ecosystem = await createEcosystem(deps, {});
    const other = await createEcosystem(deps, {});
    await deleteServerToken(deps, ecosystem.ecosystemId, ecosystem.serverTokenId);
    for (const id of ['unknown', ecosystem.serverTokenId, other.serverTokenId]) {
      await expect(deleteServerToken(deps, ecosystem.ecosystemId, id)).rejects.toMatchObject({
        code: 'SERVER_TOKEN_NOT_FOUND',
      });
    }
    await expect(authenticate(deps, bearer(other.serverToken))).resolves.toMatchObject({ kind: 'server' });
  });

  it('answers ECOSYSTEM_NOT_FOUND on an unknown ecosystem', async () => {
    const deps = await testDeps();
    await expect(createServerToken(deps, 'nowhere')).rejects.toMatchObject({ code: 'ECOSYSTEM_NOT_FOUND' });
    await expect(listServerTokens(deps, 'nowhere')).rejects.toMatchObject({ code: 'ECOSYSTEM_NOT_FOUND' });
    await expect(deleteServerToken(deps, 'nowhere', 'st1')).rejects.toMatchObject({
      code: 'ECOSYSTEM_NOT_FOUND',
    });
  });
});
