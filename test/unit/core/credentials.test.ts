// Account and server tokens: how they are hashed and formatted, who each one stands for, and where it reaches.
import { describe, expect, it } from 'vitest';
import {
  authenticate,
  authorizeEcosystem,
  bearerToken,
  formatServerToken,
  hashSecret,
  newAccountToken,
  type Principal,
  requireAccount,
} from '../../../functions/core/credentials.ts';
import { createEcosystem, deleteEcosystem } from '../../../functions/core/ecosystems.ts';
import { TEST_ACCOUNT_TOKEN, testDeps } from '../../helpers/deps.ts';

const bearer = (token: string) => `Bearer ${token}`;

describe('hashSecret', () => {
  it('is the SHA-256 of the secret in hex', () => {
    expect(hashSecret('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('newAccountToken', () => {
  it('is tsa_ followed by a 256-bit base64url secret', () => {
    expect(newAccountToken()).toMatch(/^tsa_[A-Za-z0-9_-]{43}$/);
    expect(newAccountToken()).not.toBe(newAccountToken());
  });
});

describe('formatServerToken', () => {
  it('is tss.<ecosystemId>.<serverTokenId>.<secret>', () => {
    expect(formatServerToken('eco1', 'st1', 's3cret')).toBe('tss.eco1.st1.s3cret');
  });

  it('is what createEcosystem hands out, while the store keeps only its hash', async () => {
    const deps = await testDeps();
    const created = await createEcosystem(deps, { name: 'Acme' });
    const match = /^tss\.([0-9a-f]+)\.([0-9a-f]+)\.([A-Za-z0-9_-]{43})$/.exec(created.serverToken);
    expect(match?.slice(1, 3)).toEqual([created.ecosystemId, created.serverTokenId]);
    const stored = await deps.serverTokens.getServerToken(created.ecosystemId, created.serverTokenId);
    expect(stored?.secretHash).toBe(hashSecret(match?.[3] ?? ''));
    expect(JSON.stringify(stored)).not.toContain(match?.[3]);
  });
});

describe('bearerToken', () => {
  it.each([
    ['Bearer abc', 'abc'],
    ['bearer abc', 'abc'],
    ['BEARER  abc ', 'abc'],
  ])('reads %j as %j', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });

  it.each([
    [undefined],
    [''],
    ['Bearer'],
    ['Bearer '],
    ['Basic abc'],
    ['Bearer a b'],
    ['abc'],
    ['Bearerabc'],
  ])('finds no token in %j', (header) => {
    expect(bearerToken(header)).toBeUndefined();
  });
});

describe('authenticate', () => {
  async function withEcosystem() {
    const deps = await testDeps();
    const ecosystem = await createEcosystem(deps, {});
    return { deps, ecosystem };
  }

  it('knows the account token', async () => {
    const deps = await testDeps();
    await expect(authenticate(deps, bearer(TEST_ACCOUNT_TOKEN))).resolves.toEqual({ kind: 'account' });
  });

  it('knows an account token of any shape, as AWS mode generates them', async () => {
    const deps = await testDeps({ config: { accountTokenHash: hashSecret('plain-secret-from-aws') } });
    await expect(authenticate(deps, bearer('plain-secret-from-aws'))).resolves.toEqual({ kind: 'account' });
  });

  it('knows a server token, and names its ecosystem', async () => {
    const { deps, ecosystem } = await withEcosystem();
    await expect(authenticate(deps, bearer(ecosystem.serverToken))).resolves.toEqual({
      kind: 'server',
      ecosystemId: ecosystem.ecosystemId,
      serverTokenId: ecosystem.serverTokenId,
    });
  });

  it('answers UNAUTHORIZED without an Authorization header or with another scheme', async () => {
    const { deps, ecosystem } = await withEcosystem();
    for (const header of [undefined, '', `Basic ${ecosystem.serverToken}`, TEST_ACCOUNT_TOKEN]) {
      await expect(authenticate(deps, header)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    }
  });

  it('answers UNAUTHORIZED for an unknown or near-miss account token', async () => {
    const deps = await testDeps();
    for (const token of ['tsa_unknown', `${TEST_ACCOUNT_TOKEN}x`, TEST_ACCOUNT_TOKEN.slice(0, -1), 'x']) {
      await expect(authenticate(deps, bearer(token))).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    }
  });

  it('answers UNAUTHORIZED for a server token with a wrong secret, unknown id or wrong shape', async () => {
    const { deps, ecosystem } = await withEcosystem();
    const [, eco, id, secret] = ecosystem.serverToken.split('.');
    const wrong = [
      `tss.${eco}.${id}.${secret?.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`,
      `tss.${eco}.${id}.`,
      `tss.${eco}.unknown.${secret}`,
      `tss.nowhere.${id}.${secret}`,
      `tss.${eco}.${id}`,
      `tss.${eco}.${id}.${secret}.extra`,
      `tss.${eco}.${id}.${secret}`.toUpperCase(),
    ];
    for (const token of wrong) {
      await expect(authenticate(deps, bearer(token))).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    }
  });

  it('answers UNAUTHORIZED for a server token naming another ecosystem than its own', async () => {
    const { deps, ecosystem } = await withEcosystem();
    const other = await createEcosystem(deps, {});
    const [, , id, secret] = ecosystem.serverToken.split('.');
    const moved = `tss.${other.ecosystemId}.${id}.${secret}`;
    await expect(authenticate(deps, bearer(moved))).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('answers UNAUTHORIZED for the server token of a deleted ecosystem', async () => {
    const { deps, ecosystem } = await withEcosystem();
    await deleteEcosystem(deps, ecosystem.ecosystemId);
    await expect(authenticate(deps, bearer(ecosystem.serverToken))).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });

  it('never echoes the credential in its message', async () => {
    const deps = await testDeps();
    const attempt = 'tsa_a-secret-someone-mistyped';
    await expect(authenticate(deps, bearer(attempt))).rejects.toSatisfy(
      (err: Error) => !err.message.includes(attempt),
    );
  });
});

describe('authorizeEcosystem', () => {
  const server: Principal = { kind: 'server', ecosystemId: 'eco1', serverTokenId: 'st1' };

  it('lets a server token reach its own ecosystem', () => {
    expect(() => authorizeEcosystem(server, 'eco1')).not.toThrow();
  });

  it('answers FORBIDDEN for a server token on another ecosystem', () => {
    expect(() => authorizeEcosystem(server, 'eco2')).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });

  it('lets the account token reach every ecosystem', () => {
    expect(() => authorizeEcosystem({ kind: 'account' }, 'eco2')).not.toThrow();
  });
});

describe('requireAccount', () => {
  it('lets the account token through', () => {
    expect(() => requireAccount({ kind: 'account' })).not.toThrow();
  });

  it('answers FORBIDDEN for a server token, even on its own ecosystem', () => {
    expect(() => requireAccount({ kind: 'server', ecosystemId: 'eco1', serverTokenId: 'st1' })).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
  });
});
