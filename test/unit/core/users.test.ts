// Users of an ecosystem: create or replace with metadata, look up, delete, and what each means for tokens.
import { describe, expect, it } from 'vitest';
import { isoFromSeconds } from '../../../functions/core/clock.ts';
import { isValidId } from '../../../functions/core/ids.ts';
import { createUser, deleteUser, getUser, putUser } from '../../../functions/core/users.ts';
import { verifyToken } from '../../../functions/core/verify-token.ts';
import { issueFor, seededDeps } from '../../helpers/deps.ts';

describe('putUser', () => {
  it('creates a user, then replaces its metadata while its creation time stays', async () => {
    const deps = await seededDeps();
    const created = await putUser(deps, { ecosystemId: 'eco1', userId: 'bob', metadata: { plan: 'free' } });
    const createdAt = isoFromSeconds(deps.clock.seconds());
    expect(created).toEqual({
      created: true,
      user: { ecosystemId: 'eco1', userId: 'bob', metadata: { plan: 'free' }, createdAt },
    });
    deps.clock.advance(3600);
    const replaced = await putUser(deps, { ecosystemId: 'eco1', userId: 'bob', metadata: { plan: 'pro' } });
    expect(replaced).toEqual({
      created: false,
      user: { ecosystemId: 'eco1', userId: 'bob', metadata: { plan: 'pro' }, createdAt },
    });
    await expect(getUser(deps, { ecosystemId: 'eco1', userId: 'bob' })).resolves.toEqual(replaced.user);
  });

  it('replaces metadata with {} when none is given', async () => {
    const deps = await seededDeps();
    await expect(putUser(deps, { ecosystemId: 'eco1', userId: 'alice' })).resolves.toMatchObject({
      created: false,
      user: { metadata: {} },
    });
  });

  it("keeps the user's tokens valid across a metadata change", async () => {
    const deps = await seededDeps();
    const { token } = await issueFor(deps, { expiryType: 'Infinite' });
    await putUser(deps, { ecosystemId: 'eco1', userId: 'alice', metadata: { plan: 'team' } });
    await expect(verifyToken(deps, token)).resolves.toMatchObject({ metadata: { plan: 'team' } });
  });

  it('answers ECOSYSTEM_NOT_FOUND for an unknown ecosystem', async () => {
    const deps = await seededDeps();
    await expect(putUser(deps, { ecosystemId: 'nowhere', userId: 'bob' })).rejects.toMatchObject({
      code: 'ECOSYSTEM_NOT_FOUND',
    });
  });

  it('answers METADATA_INVALID for metadata that is not a small object, and stores nothing', async () => {
    const deps = await seededDeps();
    for (const metadata of [[1], 'pro', null, { pad: 'x'.repeat(4096) }]) {
      await expect(putUser(deps, { ecosystemId: 'eco1', userId: 'bob', metadata })).rejects.toMatchObject({
        code: 'METADATA_INVALID',
      });
    }
    await expect(getUser(deps, { ecosystemId: 'eco1', userId: 'bob' })).rejects.toMatchObject({
      code: 'USER_NOT_FOUND',
    });
  });
});

describe('createUser', () => {
  it('creates a user under a generated, valid id', async () => {
    const deps = await seededDeps();
    const user = await createUser(deps, { ecosystemId: 'eco1', metadata: { a: 1 } });
    expect(isValidId(user.userId)).toBe(true);
    await expect(getUser(deps, { ecosystemId: 'eco1', userId: user.userId })).resolves.toEqual(user);
    const another = await createUser(deps, { ecosystemId: 'eco1', metadata: {} });
    expect(another.userId).not.toBe(user.userId);
  });
});

describe('getUser', () => {
  it('answers USER_NOT_FOUND for an unknown user and ECOSYSTEM_NOT_FOUND for an unknown ecosystem', async () => {
    const deps = await seededDeps();
    await expect(getUser(deps, { ecosystemId: 'eco1', userId: 'bob' })).rejects.toMatchObject({
      code: 'USER_NOT_FOUND',
    });
    await expect(getUser(deps, { ecosystemId: 'nowhere', userId: 'alice' })).rejects.toMatchObject({
      code: 'ECOSYSTEM_NOT_FOUND',
    });
  });
});

describe('deleteUser', () => {
  it('deletes the user once', async () => {
    const deps = await seededDeps();
    await deleteUser(deps, { ecosystemId: 'eco1', userId: 'alice' });
    await expect(getUser(deps, { ecosystemId: 'eco1', userId: 'alice' })).rejects.toMatchObject({
      code: 'USER_NOT_FOUND',
    });
    await expect(deleteUser(deps, { ecosystemId: 'eco1', userId: 'alice' })).rejects.toMatchObject({
      code: 'USER_NOT_FOUND',
    });
  });

  it('answers ECOSYSTEM_NOT_FOUND for an unknown ecosystem', async () => {
    const deps = await seededDeps();
    await expect(deleteUser(deps, { ecosystemId: 'nowhere', userId: 'alice' })).rejects.toMatchObject({
      code: 'ECOSYSTEM_NOT_FOUND',
    });
  });
});
