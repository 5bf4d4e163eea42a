// The commands added for every route of the API, in-process against the local server over real HTTP:
// each one's human and --json output, and what the API shows afterwards.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../../functions/cli/main.ts';
import { TEST_ACCOUNT_TOKEN } from '../../helpers/deps.ts';
import { type Seed, seedThroughApi } from '../../helpers/server.ts';
import { useTestServer } from '../../helpers/use-test-server.ts';
import { runTessera } from './cli-run.ts';

describe('tessera, every route', () => {
  const server = useTestServer();
  let seed: Seed;
  let asServer: Record<string, string>;
  const asAccount = () => ({ TESSERA_URL: server.url, TESSERA_ACCOUNT_TOKEN: TEST_ACCOUNT_TOKEN });

  beforeAll(async () => {
    seed = await seedThroughApi(server);
    asServer = { TESSERA_URL: server.url, TESSERA_SERVER_TOKEN: seed.serverToken };
  });

  const issue = async (userId = 'alice') => {
    const { code, stdout } = await runTessera(['token', 'create', userId, '--json'], asServer);
    expect(code).toBe(EXIT.OK);
    return JSON.parse(stdout) as { token: string; tokenId: string };
  };
  const verifies = async (token: string) =>
    (await server.call('POST', '/v1/tokens/verify', { body: { token } })).status;

  it('lists the ecosystems with the account token', async () => {
    const json = await runTessera(['ecosystem', 'list', '--json'], asAccount());
    expect(json.code).toBe(EXIT.OK);
    expect(JSON.parse(json.stdout).ecosystems).toContainEqual(
      expect.objectContaining({ ecosystemId: seed.ecosystemId, name: 'test' }),
    );
    const human = await runTessera(['ecosystem', 'list'], asAccount());
    expect(human.stdout).toMatch(/^\d+ ecosystem\(s\)\n {2}ecosystemId +name +createdAt\n/);
    expect(human.stdout).toMatch(new RegExp(`\\n {2}${seed.ecosystemId} +test +\\d{4}-`));
    const withServerToken = ['ecosystem', 'list', '--credential', seed.serverToken];
    const forbidden = await runTessera(withServerToken, { TESSERA_URL: server.url });
    expect([forbidden.code, forbidden.stderr]).toEqual([EXIT.REFUSED, expect.stringContaining('FORBIDDEN')]);
  });

  it('creates, lists and deletes server tokens; a deleted one stops working', async () => {
    const created = await runTessera(['server-token', 'create', '--json'], asServer);
    expect(created.code).toBe(EXIT.OK);
    const { serverTokenId, serverToken } = JSON.parse(created.stdout);
    expect(serverToken).toMatch(new RegExp(`^tss\\.${seed.ecosystemId}\\.`));
    const second = { TESSERA_URL: server.url, TESSERA_SERVER_TOKEN: serverToken };

    const listed = await runTessera(['server-token', 'list', '--json'], second);
    const ids = JSON.parse(listed.stdout).serverTokens.map((t: { serverTokenId: string }) => t.serverTokenId);
    expect(ids).toEqual([seed.serverTokenId, serverTokenId]);
    expect(listed.stdout).not.toContain(serverToken);
    const human = await runTessera(['server-token', 'list'], second);
    expect(human.stdout).toContain(`2 server token(s) of ecosystem ${seed.ecosystemId}`);

    const deleted = await runTessera(['server-token', 'delete', serverTokenId, '--yes'], asServer);
    expect([deleted.code, deleted.stdout]).toEqual([
      EXIT.OK,
      `Deleted server token ${serverTokenId} of ecosystem ${seed.ecosystemId}.\n`,
    ]);
    const refused = await runTessera(['user', 'get', 'alice'], second);
    expect([refused.code, refused.stderr]).toEqual([EXIT.REFUSED, expect.stringContaining('UNAUTHORIZED')]);
  });

  it('creates a user with a generated id', async () => {
    const created = await runTessera(['user', 'create', '--metadata', '{"plan":"free"}', '--json'], asServer);
    expect(created.code).toBe(EXIT.OK);
    const { userId } = JSON.parse(created.stdout);
    const got = await server.call('GET', `/v1/ecosystems/${seed.ecosystemId}/users/${userId}`, {
      bearer: seed.serverToken,
    });
    expect(got.body.metadata).toEqual({ plan: 'free' });
  });

  it("lists a user's live tokens, revokes one by id, then all of them", async () => {
    const [first, second, third] = [await issue(), await issue(), await issue()];
    const listed = await runTessera(['token', 'list', 'alice', '--json'], asServer);
    const ids = JSON.parse(listed.stdout).tokens.map((t: { tokenId: string }) => t.tokenId);
    expect(ids).toEqual(expect.arrayContaining([first.tokenId, second.tokenId, third.tokenId]));
    const human = await runTessera(['token', 'list', 'alice'], asServer);
    expect(human.stdout).toMatch(/live token\(s\) of user alice\n {2}tokenId +label +expiryType +issuedAt/);
    expect(human.stdout).not.toContain(first.token);

    const one = await runTessera(['token', 'revoke-id', 'alice', second.tokenId, '--yes'], asServer);
    expect([one.code, one.stdout]).toEqual([EXIT.OK, `Revoked token ${second.tokenId} of user alice.\n`]);
    expect([await verifies(first.token), await verifies(second.token)]).toEqual([200, 401]);

    const all = await runTessera(['token', 'revoke-all', 'alice', '-y', '--json'], asServer);
    expect([all.code, JSON.parse(all.stdout)]).toEqual([EXIT.OK, { revoked: true }]);
    expect([await verifies(first.token), await verifies(third.token)]).toEqual([401, 401]);
    const none = await runTessera(['token', 'list', 'alice'], asServer);
    expect(none.stdout).toMatch(/^0 live token\(s\) of user alice\n/);
  });

  it('asks GET /v1/me who a token is, and says when the authorizer refuses it', async () => {
    const { token, tokenId } = await issue();
    const me = await runTessera(
      ['me', '-', '--json'],
      { TESSERA_URL: server.url },
      { input: [`${token}\n`] },
    );
    expect(me.code).toBe(EXIT.OK);
    expect(JSON.parse(me.stdout)).toMatchObject({ userId: 'alice', ecosystemId: seed.ecosystemId, tokenId });
    await server.call('POST', '/v1/tokens/revoke', { body: { token } });
    const refused = await runTessera(['me', token], { TESSERA_URL: server.url });
    expect([refused.code, refused.stderr]).toEqual([EXIT.REFUSED, expect.stringContaining('FORBIDDEN')]);
  });

  it('prints the OpenAPI document', async () => {
    const { code, stdout } = await runTessera(['openapi'], { TESSERA_URL: server.url });
    expect(code).toBe(EXIT.OK);
    expect(JSON.parse(stdout)).toMatchObject({ openapi: expect.stringMatching(/^3\./) });
  });

  it('prints its version, for a person and with --json', async () => {
    const { version } = JSON.parse(
      await readFile(join(import.meta.dirname, '../../../package.json'), 'utf8'),
    );
    expect(await runTessera(['--version'], {})).toEqual({
      code: EXIT.OK,
      stdout: `tessera ${version}\n`,
      stderr: '',
    });
    const json = await runTessera(['--version', '--json'], {});
    expect(JSON.parse(json.stdout)).toEqual({ name: 'tessera', version });
  });
});
