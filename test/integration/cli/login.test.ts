// `tessera login` and `logout` with a config folder of the test's own (XDG_CONFIG_HOME): the file's
// modes, a credential checked before it is saved, later commands reading it, and only for its own URL.
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../../functions/cli/main.ts';
import { TEST_ACCOUNT_TOKEN } from '../../helpers/deps.ts';
import { type Seed, seedThroughApi } from '../../helpers/server.ts';
import { useTestServer } from '../../helpers/use-test-server.ts';
import { runTessera } from './cli-run.ts';

describe('tessera login / logout', () => {
  const server = useTestServer();
  let seed: Seed;
  let home: string;
  let env: Record<string, string>;
  const file = () => join(home, 'config', 'tessera', 'config.json');

  beforeAll(async () => {
    seed = await seedThroughApi(server);
    home = await mkdtemp(join(tmpdir(), 'tessera-cli-home-'));
    env = { XDG_CONFIG_HOME: join(home, 'config') };
  });
  afterAll(async () => {
    if (home !== undefined) await rm(home, { recursive: true, force: true });
  });

  it('checks the credential, saves it with the URL (folder 0700, file 0600), and later commands use it', async () => {
    const login = await runTessera(['login', '--url', server.url, '--credential', '-'], env, {
      input: [`${seed.serverToken}\n`],
    });
    expect(login.code).toBe(EXIT.OK);
    expect(login.stdout).toContain(
      `Logged in to ${server.url} with a server token of ecosystem ${seed.ecosystemId}`,
    );
    expect(login.stdout + login.stderr).not.toContain(seed.serverToken);
    expect(JSON.parse(await readFile(file(), 'utf8'))).toEqual({
      url: server.url,
      credential: seed.serverToken,
    });
    expect((await stat(file())).mode & 0o777).toBe(0o600);
    expect((await stat(join(home, 'config', 'tessera'))).mode & 0o777).toBe(0o700);

    // No --url, no credential in the environment: both come from the file, the ecosystem from the token.
    const user = await runTessera(['user', 'get', 'alice', '--json'], env);
    expect([user.code, JSON.parse(user.stdout).userId]).toEqual([EXIT.OK, 'alice']);
  });

  it('sends the saved credential only to the URL it was saved with', async () => {
    const elsewhere = await runTessera(['user', 'get', 'alice', '--url', 'http://127.0.0.1:9'], env);
    expect(elsewhere.code).toBe(EXIT.USAGE);
    expect(elsewhere.stderr).toContain('needs a credential');
    const trailingSlash = await runTessera(['user', 'get', 'alice', '--url', `${server.url}/`], env);
    expect(trailingSlash.code).toBe(EXIT.OK);
  });

  it('lets the environment win over the file', async () => {
    const wrong = await runTessera(['user', 'get', 'alice'], { ...env, TESSERA_SERVER_TOKEN: 'tss.x.y.z' });
    expect([wrong.code, wrong.stderr]).toEqual([EXIT.REFUSED, expect.stringContaining('UNAUTHORIZED')]);
  });

  it('saves nothing when the API refuses the credential', async () => {
    const before = await readFile(file(), 'utf8');
    const refused = await runTessera(
      ['login', '--url', server.url, '--credential', 'tsa_not-the-account-token'],
      env,
    );
    expect([refused.code, refused.stderr]).toEqual([EXIT.REFUSED, expect.stringContaining('UNAUTHORIZED')]);
    expect(await readFile(file(), 'utf8')).toBe(before);
  });

  it('reads the credential at a terminal with echo off; an account token is checked by listing', async () => {
    const raw: boolean[] = [];
    const login = await runTessera(['login', '--url', server.url, '--json'], env, {
      input: [`${TEST_ACCOUNT_TOKEN}\r`],
      stdinTty: true,
      rawMode: raw,
    });
    expect(login.code).toBe(EXIT.OK);
    expect(raw).toEqual([true, false]);
    expect(login.stderr).toContain(`Account or server token for ${server.url} (not shown): `);
    expect(login.stderr).not.toContain(TEST_ACCOUNT_TOKEN);
    expect(JSON.parse(login.stdout)).toEqual({
      url: server.url,
      kind: 'account',
      ecosystemId: null,
      configFile: file(),
    });
    const list = await runTessera(['ecosystem', 'list', '--json'], env);
    expect(list.code).toBe(EXIT.OK);
  });

  it('refuses a login with no credential given', async () => {
    const none = await runTessera(['login', '--url', server.url], env, { input: [] });
    expect([none.code, none.stderr]).toEqual([EXIT.USAGE, expect.stringContaining('No credential')]);
  });

  it('logs out by removing the file, and says so when there was none', async () => {
    const out = await runTessera(['logout'], env);
    expect([out.code, out.stdout]).toEqual([EXIT.OK, `Logged out: removed ${file()}.\n`]);
    await expect(stat(file())).rejects.toThrow('ENOENT');
    const again = await runTessera(['logout', '--json'], env);
    expect(JSON.parse(again.stdout)).toEqual({ loggedOut: false, configFile: file() });
    const after = await runTessera(['user', 'get', 'alice', '--url', server.url], env);
    expect(after.code).toBe(EXIT.USAGE);
  });

  it('names a config file that is not JSON, and logout still removes it', async () => {
    await mkdir(join(home, 'config', 'tessera'), { recursive: true });
    await writeFile(file(), 'not json');
    const broken = await runTessera(['keys'], env);
    expect([broken.code, broken.stderr]).toEqual([
      EXIT.USAGE,
      expect.stringContaining(`${file()} is not a JSON object`),
    ]);
    expect((await runTessera(['logout'], env)).code).toBe(EXIT.OK);
  });

  it('uses ~/.config/tessera/config.json when XDG_CONFIG_HOME is unset', async () => {
    const login = await runTessera(
      ['login', '--url', server.url, '--credential', seed.serverToken, '--json'],
      {
        HOME: home,
      },
    );
    expect(JSON.parse(login.stdout).configFile).toBe(join(home, '.config', 'tessera', 'config.json'));
  });
});
