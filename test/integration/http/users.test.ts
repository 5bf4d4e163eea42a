// Users over real HTTP: create, replace, generate, read and delete with either credential; the id rules
// of API.md (characters, length, first character, percent-encoding) and the metadata rules.
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_ACCOUNT_TOKEN } from '../../helpers/deps.ts';
import { useSeededServer } from '../../helpers/use-test-server.ts';
import { expectError } from './expect-error.ts';

let users: string;

const { server, seed } = useSeededServer();

beforeAll(async () => {
  users = `/v1/ecosystems/${seed.ecosystemId}/users`;
});

const account = { bearer: TEST_ACCOUNT_TOKEN };

describe('PUT /v1/ecosystems/{ecosystemId}/users/{userId}', () => {
  it('creates a user with 201, then replaces its metadata with 200 keeping createdAt', async () => {
    const created = await server.call('PUT', `${users}/carol`, {
      bearer: seed.serverToken,
      body: { metadata: { plan: 'free' } },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      ecosystemId: seed.ecosystemId,
      userId: 'carol',
      metadata: { plan: 'free' },
      createdAt: expect.stringMatching(/Z$/),
    });
    const replaced = await server.call('PUT', `${users}/carol`, {
      ...account,
      body: { metadata: { plan: 'pro' } },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toEqual({ ...created.body, metadata: { plan: 'pro' } });
  });

  it('stores {} when metadata is omitted', async () => {
    const result = await server.call('PUT', `${users}/dave`, { bearer: seed.serverToken });
    expect(result.status).toBe(201);
    expect(result.body.metadata).toEqual({});
  });

  it('accepts every character API.md allows, up to 128 of them', async () => {
    for (const userId of ['A.b_c-d@e:f+g', '9lives', 'u'.repeat(128)]) {
      const result = await server.call('PUT', `${users}/${encodeURIComponent(userId)}`, {
        bearer: seed.serverToken,
      });
      expect({ userId, status: result.status }).toEqual({ userId, status: 201 });
      expect(result.body.userId).toBe(userId);
    }
  });

  it('percent-decodes the path before the id rules apply', async () => {
    const result = await server.call('PUT', `${users}/erin%40example.com`, { bearer: seed.serverToken });
    expect(result.status).toBe(201);
    expect(result.body.userId).toBe('erin@example.com');
    const read = await server.call('GET', `${users}/erin@example.com`, { bearer: seed.serverToken });
    expect(read.status).toBe(200);
  });

  it('refuses a malformed userId with 400 USER_INVALID', async () => {
    const bad = {
      'a space (percent-encoded)': 'al%20ice',
      'a slash (percent-encoded)': 'al%2Fice',
      'a semicolon (percent-encoded)': 'al%3Bice',
      'a non-ASCII letter': encodeURIComponent('alïce'),
      'leading punctuation': '-alice',
      'a leading underscore': '_alice',
      'a leading at sign': '@alice',
      '129 characters': 'u'.repeat(129),
      'a broken percent escape': 'al%ZZice',
      'an encoded empty id': '%20',
    };
    for (const [why, userId] of Object.entries(bad)) {
      const result = await server.call('PUT', `${users}/${userId}`, { bearer: seed.serverToken });
      expect({ why, status: result.status }).toEqual({ why, status: 400 });
      expectError(result, 400, 'USER_INVALID', [seed.serverToken]);
    }
  });

  it('refuses metadata that is not a JSON object with 400 METADATA_INVALID', async () => {
    for (const metadata of [[], 'pro', 42, null, true]) {
      const result = await server.call('PUT', `${users}/frank`, {
        bearer: seed.serverToken,
        body: { metadata },
      });
      expectError(result, 400, 'METADATA_INVALID');
    }
  });

  it('refuses metadata over 4 KiB serialized with 400 METADATA_INVALID, and takes exactly 4 KiB', async () => {
    const exactly = { blob: 'x'.repeat(4096 - JSON.stringify({ blob: '' }).length) };
    expect(JSON.stringify(exactly).length).toBe(4096);
    const fits = await server.call('PUT', `${users}/grace`, {
      bearer: seed.serverToken,
      body: { metadata: exactly },
    });
    expect(fits.status).toBe(201);
    const over = { blob: `${exactly.blob}x` };
    const result = await server.call('PUT', `${users}/grace`, {
      bearer: seed.serverToken,
      body: { metadata: over },
    });
    expectError(result, 400, 'METADATA_INVALID');
    const unchanged = await server.call('GET', `${users}/grace`, { bearer: seed.serverToken });
    expect(unchanged.body.metadata).toEqual(exactly);
  });

  it('answers 404 ECOSYSTEM_NOT_FOUND in an unknown ecosystem', async () => {
    const result = await server.call('PUT', '/v1/ecosystems/no-such-eco/users/alice', account);
    expectError(result, 404, 'ECOSYSTEM_NOT_FOUND');
  });
});

describe('POST /v1/ecosystems/{ecosystemId}/users', () => {
  it('creates a user with a generated lowercase hex id', async () => {
    const result = await server.call('POST', users, {
      bearer: seed.serverToken,
      body: { metadata: { n: 1 } },
    });
    expect(result.status).toBe(201);
    expect(result.body.userId).toMatch(/^[0-9a-f]+$/);
    expect(result.body.metadata).toEqual({ n: 1 });
    const read = await server.call('GET', `${users}/${result.body.userId}`, account);
    expect(read.body).toEqual(result.body);
    const byAccount = await server.call('POST', users, { ...account, body: { metadata: {} } });
    expect(byAccount.status).toBe(201);
    expect(byAccount.body.userId).not.toBe(result.body.userId);
  });

  it('refuses bad metadata with METADATA_INVALID and an unknown ecosystem with ECOSYSTEM_NOT_FOUND', async () => {
    expectError(
      await server.call('POST', users, { ...account, body: { metadata: 'x' } }),
      400,
      'METADATA_INVALID',
    );
    expectError(
      await server.call('POST', '/v1/ecosystems/no-such-eco/users', { ...account, body: { metadata: {} } }),
      404,
      'ECOSYSTEM_NOT_FOUND',
    );
  });
});

describe('GET /v1/ecosystems/{ecosystemId}/users/{userId}', () => {
  it('answers the user to the account token and to its server token', async () => {
    for (const bearer of [TEST_ACCOUNT_TOKEN, seed.serverToken]) {
      const result = await server.call('GET', `${users}/alice`, { bearer });
      expect(result.status).toBe(200);
      expect(result.body).toMatchObject({ userId: 'alice', metadata: { plan: 'pro' } });
    }
  });

  it('answers 404 USER_NOT_FOUND for an unknown user and ECOSYSTEM_NOT_FOUND for an unknown ecosystem', async () => {
    expectError(await server.call('GET', `${users}/nobody`, account), 404, 'USER_NOT_FOUND');
    expectError(
      await server.call('GET', '/v1/ecosystems/no-such-eco/users/alice', account),
      404,
      'ECOSYSTEM_NOT_FOUND',
    );
  });

  it('answers 400 USER_INVALID for a malformed userId', async () => {
    expectError(await server.call('GET', `${users}/.hidden`, account), 400, 'USER_INVALID');
  });
});

describe('DELETE /v1/ecosystems/{ecosystemId}/users/{userId}', () => {
  it('deletes the user with either credential; then it is USER_NOT_FOUND', async () => {
    for (const [userId, bearer] of [
      ['henry', seed.serverToken],
      ['iris', TEST_ACCOUNT_TOKEN],
    ] as const) {
      await server.call('PUT', `${users}/${userId}`, { bearer });
      const result = await server.call('DELETE', `${users}/${userId}`, { bearer });
      expect(result.status).toBe(204);
      expect(result.text).toBe('');
      expectError(await server.call('GET', `${users}/${userId}`, { bearer }), 404, 'USER_NOT_FOUND');
      expectError(await server.call('DELETE', `${users}/${userId}`, { bearer }), 404, 'USER_NOT_FOUND');
    }
  });

  it('answers 404 ECOSYSTEM_NOT_FOUND in an unknown ecosystem', async () => {
    expectError(
      await server.call('DELETE', '/v1/ecosystems/no-such-eco/users/alice', account),
      404,
      'ECOSYSTEM_NOT_FOUND',
    );
  });
});
