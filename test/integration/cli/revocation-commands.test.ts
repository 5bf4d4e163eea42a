// `tessera revocations create|list|delete`, `tessera token revoke-others`, and --audience / --label on
// token create and verify, in-process against the local server over real HTTP.
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../../functions/cli/main.ts';
import { payloadOf } from '../../helpers/forge.ts';
import { type Seed, seedThroughApi } from '../../helpers/server.ts';
import { useTestServer } from '../../helpers/use-test-server.ts';
import { runTessera } from './cli-run.ts';

describe('tessera: audiences, labels, revoke-others and revocations', () => {
  const server = useTestServer();
  let seed: Seed;
  let asServer: Record<string, string>;

  beforeAll(async () => {
    seed = await seedThroughApi(server);
    asServer = { TESSERA_URL: server.url, TESSERA_SERVER_TOKEN: seed.serverToken };
  });

  const create = async (...extra: string[]) => {
    const { code, stdout, stderr } = await runTessera(
      ['token', 'create', 'alice', '--json', ...extra],
      asServer,
    );
    expect(code, stderr).toBe(EXIT.OK);
    return JSON.parse(stdout) as { token: string; tokenId: string };
  };
  const verifies = async (token: string) =>
    (await server.call('POST', '/v1/tokens/verify', { body: { token } })).status;

  it('issues with --audience and --label, verifies with --audience, and lists the label', async () => {
    const { token, tokenId } = await create('--audience', 'chat-api, admin-api', '--label', 'Pixel 8');
    const ok = await runTessera(['token', 'verify', token, '--audience', 'admin-api', '--json'], {
      TESSERA_URL: server.url,
    });
    expect([ok.code, JSON.parse(ok.stdout).audience]).toEqual([EXIT.OK, ['chat-api', 'admin-api']]);
    const human = await runTessera(['token', 'verify', token], { TESSERA_URL: server.url });
    expect(human.stdout).toMatch(/audience +\["chat-api","admin-api"\]/);

    const wrong = await runTessera(['token', 'verify', token, '--audience', 'billing'], {
      TESSERA_URL: server.url,
    });
    expect([wrong.code, wrong.stderr]).toEqual([
      EXIT.REFUSED,
      expect.stringContaining('TOKEN_AUDIENCE_INVALID'),
    ]);

    const listed = await runTessera(['token', 'list', 'alice'], asServer);
    expect(listed.stdout).toMatch(new RegExp(`\\n {2}${tokenId} +Pixel 8 +FixedTtl`));
  });

  it('signs out everywhere else with token revoke-others, reading the token from stdin', async () => {
    const kept = await create();
    const other = await create();
    const result = await runTessera(
      ['token', 'revoke-others', '-'],
      { TESSERA_URL: server.url },
      {
        input: [`${kept.token}\n`],
      },
    );
    expect([result.code, result.stdout]).toEqual([
      EXIT.OK,
      expect.stringMatching(/^Revoked \d+ other token\(s\)/),
    ]);
    expect([await verifies(kept.token), await verifies(other.token)]).toEqual([200, 401]);
    const json = await runTessera(['token', 'revoke-others', kept.token, '--json'], {
      TESSERA_URL: server.url,
    });
    expect(JSON.parse(json.stdout)).toEqual({ revoked: 0 });
  });

  it('creates, lists and deletes revocations; create and delete ask first', async () => {
    const before = await create();
    const asked = await runTessera(['revocations', 'create', '--issued-before', 'now'], asServer);
    expect(asked.code).toBe(EXIT.USAGE); // stdin is no terminal: --yes is required
    expect(await verifies(before.token)).toBe(200);

    // The second after the token's own: revokes it ("before" is strict), within the 30 s clock skew.
    const issuedBefore = new Date((Number(payloadOf(before.token).iat) + 1) * 1000).toISOString();
    const made = await runTessera(
      ['revocations', 'create', '--issued-before', issuedBefore, '--yes', '--json'],
      asServer,
    );
    expect(made.code, made.stderr).toBe(EXIT.OK);
    const revocation = JSON.parse(made.stdout);
    expect(revocation).toEqual({
      revocationId: expect.any(String),
      issuedBefore: expect.any(String),
      createdAt: expect.any(String),
    });
    expect(await verifies(before.token)).toBe(401);

    const listed = await runTessera(['revocations', 'list'], asServer);
    expect(listed.stdout).toMatch(
      new RegExp(
        `^1 revocation\\(s\\) of ecosystem ${seed.ecosystemId}\\n {2}revocationId +issuedBefore +createdAt\\n {2}${revocation.revocationId} `,
      ),
    );

    const undone = await runTessera(['revocations', 'delete', revocation.revocationId, '--yes'], asServer);
    expect([undone.code, undone.stdout]).toEqual([EXIT.OK, `Undid revocation ${revocation.revocationId}.\n`]);
    expect(await verifies(before.token)).toBe(200);
    const again = await runTessera(['revocations', 'delete', revocation.revocationId, '--yes'], asServer);
    expect([again.code, again.stderr]).toEqual([
      EXIT.REFUSED,
      expect.stringContaining('REVOCATION_NOT_FOUND'),
    ]);
  });

  it('takes --issued-before now: this very second', async () => {
    const other = await seedThroughApi(server);
    const env = { TESSERA_URL: server.url, TESSERA_SERVER_TOKEN: other.serverToken };
    const made = await runTessera(['revocations', 'create', '--issued-before', 'now', '-y', '--json'], env);
    expect(made.code, made.stderr).toBe(EXIT.OK);
    const { issuedBefore } = JSON.parse(made.stdout);
    expect(Math.abs(Date.parse(issuedBefore) - Date.now())).toBeLessThan(60_000);
  });

  it('says what --issued-before needs when it is missing or malformed', async () => {
    const missing = await runTessera(['revocations', 'create', '--yes'], asServer);
    expect([missing.code, missing.stderr]).toEqual([EXIT.USAGE, expect.stringContaining('--issued-before')]);
    const bad = await runTessera(
      ['revocations', 'create', '--issued-before', 'yesterday', '--yes'],
      asServer,
    );
    expect([bad.code, bad.stderr]).toEqual([EXIT.REFUSED, expect.stringContaining('BODY_INVALID')]);
  });
});
