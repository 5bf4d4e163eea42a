// `tessera` end to end: the CLI spawned as a child process, as a shell script would run it, against the
// local server on an ephemeral port; then more commands and the usage mistakes, run in-process for speed.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../../functions/cli/main.ts';
import { runCliCaptured } from '../../helpers/cli.ts';
import { TEST_ACCOUNT_TOKEN } from '../../helpers/deps.ts';
import { useTestServer } from '../../helpers/use-test-server.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const LAUNCHER = join(ROOT, 'functions', 'cli', 'tessera.mjs');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Spawns a command with only the environment given (plus PATH), feeding `input` on stdin. */
function spawnRun(file: string, args: string[], env: Record<string, string>, input = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

const tessera = (args: string[], env: Record<string, string>, input?: string) =>
  spawnRun(process.execPath, [LAUNCHER, ...args], env, input);

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 1}`;
}

describe('tessera (spawned)', () => {
  const server = useTestServer();
  let env: Record<string, string>;

  beforeAll(async () => {
    env = { TESSERA_URL: server.url, TESSERA_ACCOUNT_TOKEN: TEST_ACCOUNT_TOKEN };
  });

  it('scripts an ecosystem, a user and a token lifecycle, with exit codes a shell can test', async () => {
    const created = await tessera(['ecosystem', 'create', '--name', 'chat', '--json'], env);
    expect(created.code).toBe(EXIT.OK);
    const { ecosystemId, serverToken } = JSON.parse(created.stdout);
    expect(serverToken).toMatch(/^tss\./);

    // A server token names its ecosystem, so --ecosystem may be left out.
    const eco = { TESSERA_URL: server.url, TESSERA_SERVER_TOKEN: serverToken };
    const put = await tessera(['user', 'put', 'alice', '--metadata', '{"plan":"pro"}'], eco);
    expect([put.code, put.stdout]).toEqual([EXIT.OK, expect.stringContaining('Created user alice')]);
    const user = await tessera(['user', 'get', 'alice', '--ecosystem', ecosystemId, '--json'], eco);
    expect(JSON.parse(user.stdout)).toMatchObject({ userId: 'alice', metadata: { plan: 'pro' } });

    const issued = await tessera(
      ['token', 'create', 'alice', '--expiry-type', 'SlidingTtl', '--ttl', '900', '--max-ttl', '3600'].concat(
        ['--claims', '{"room":"general"}', '--json'],
      ),
      eco,
    );
    expect(issued.code).toBe(EXIT.OK);
    const first = JSON.parse(issued.stdout);
    expect(first).toMatchObject({ expiryType: 'SlidingTtl', ttl: 900 });

    // "-" reads the token from stdin, keeping it out of the process list.
    const verified = await tessera(['token', 'verify', '-'], { TESSERA_URL: server.url }, `${first.token}\n`);
    expect(verified.code).toBe(EXIT.OK);
    expect(verified.stdout).toContain(`Valid: user alice of ecosystem ${ecosystemId}`);
    expect(verified.stdout).toContain('{"room":"general"}');

    const refreshed = await tessera(['token', 'refresh', first.token, '--json'], env);
    const second = JSON.parse(refreshed.stdout);
    expect(second.tokenId).not.toBe(first.tokenId);

    const stale = await tessera(['token', 'verify', first.token], env);
    expect(stale.code).toBe(EXIT.REFUSED);
    expect(stale.stderr).toContain('TOKEN_REVOKED');
    const staleJson = await tessera(['token', 'verify', first.token, '--json'], env);
    expect([staleJson.code, JSON.parse(staleJson.stdout).error.code]).toEqual([
      EXIT.REFUSED,
      'TOKEN_REVOKED',
    ]);

    const revoked = await tessera(['token', 'revoke', '-'], { TESSERA_URL: server.url }, second.token);
    expect([revoked.code, revoked.stdout.trim()]).toEqual([EXIT.OK, 'Revoked.']);
    expect((await tessera(['token', 'verify', second.token], env)).code).toBe(EXIT.REFUSED);

    expect((await tessera(['user', 'delete', 'alice', '--yes'], eco)).code).toBe(EXIT.OK);
    const gone = await tessera(['user', 'get', 'alice'], eco);
    expect([gone.code, gone.stderr]).toEqual([EXIT.REFUSED, expect.stringContaining('USER_NOT_FOUND')]);
  });

  it('exits 3 when Tessera cannot be reached', async () => {
    const down = await tessera(['keys'], { TESSERA_URL: await closedPortUrl() });
    expect([down.code, down.stderr]).toEqual([EXIT.UNAVAILABLE, expect.stringContaining('NETWORK_ERROR')]);
  });

  it('runs as `npx tessera` inside the repository', async () => {
    const npx = await spawnRun('npx', ['--no-install', 'tessera', '--help'], {
      HOME: process.env.HOME ?? '',
    });
    expect(npx.code).toBe(EXIT.OK);
    expect(npx.stdout).toContain('Usage: tessera <command>');
  });
});

describe('tessera against the local server (in-process, real HTTP)', () => {
  const server = useTestServer();

  function run(argv: string[], env: Record<string, string>) {
    return runCliCaptured(argv, { TESSERA_URL: server.url, ...env });
  }

  it('lists the signing keys', async () => {
    const keys = await run(['keys', '--json'], {});
    const { keys: list } = JSON.parse(keys.stdout);
    const human = await run(['keys'], {});
    expect(human.stdout).toContain(list[0].kid);
    expect(human.stdout).toContain('1 signing key(s)');
  });

  it('prefers --credential to the environment, and exits 1 on a refused credential', async () => {
    const wrong = { TESSERA_ACCOUNT_TOKEN: 'tsa_not-the-account-token' };
    const refused = await run(['ecosystem', 'create'], wrong);
    expect([refused.code, refused.stderr]).toEqual([EXIT.REFUSED, expect.stringContaining('UNAUTHORIZED')]);
    expect(refused.stderr).not.toContain('tsa_not-the-account-token');
    const flagged = await run(['ecosystem', 'create', '--credential', TEST_ACCOUNT_TOKEN], wrong);
    expect([flagged.code, flagged.stdout]).toEqual([EXIT.OK, expect.stringContaining('serverToken')]);
  });
});

describe('tessera usage mistakes (in-process)', () => {
  function run(argv: string[], env: Record<string, string> = {}) {
    return runCliCaptured(argv, { TESSERA_URL: 'http://127.0.0.1:9', ...env });
  }

  it.each([
    ['an unknown command', ['tokens', 'list'], 'Unknown command "tokens list"'],
    ['a command group alone', ['token'], '"token" takes: token create, token verify'],
    ['an unknown option', ['keys', '--verbose'], "Unknown option '--verbose'"],
    ['a missing argument', ['token', 'create'], '"token create" takes <userId>'],
    [
      'a ttl that is not whole seconds',
      ['token', 'create', 'a', '--ecosystem', 'e', '--ttl', '1.5'],
      '--ttl',
    ],
    [
      'claims that are not a JSON object',
      ['token', 'create', 'a', '--ecosystem', 'e', '--claims', '[1]'],
      '--claims',
    ],
    ['no ecosystem and no server token', ['user', 'get', 'a'], '--ecosystem'],
    ['an invalid --url', ['keys', '--url', 'ftp://x'], 'baseUrl must be an http(s) URL'],
  ])('exits 2 for %s, saying what to fix', async (_what, argv, message) => {
    const { code, stderr } = await run(argv, { TESSERA_ACCOUNT_TOKEN: TEST_ACCOUNT_TOKEN });
    expect(code).toBe(EXIT.USAGE);
    expect(stderr).toContain(message);
    expect(stderr).toContain('--help" for usage');
  });

  it('exits 2 when a command needs a credential and none is given', async () => {
    const { code, stderr } = await run(['ecosystem', 'create']);
    expect(code).toBe(EXIT.USAGE);
    expect(stderr).toContain('pass --credential or set TESSERA_ACCOUNT_TOKEN');
  });

  it('prints each command its own help, and general help for none', async () => {
    const help = await run(['user', 'put', '--help']);
    expect([help.code, help.stdout]).toEqual([EXIT.OK, expect.stringContaining('--metadata')]);
    const bare = await run([]);
    expect([bare.code, bare.stdout]).toEqual([EXIT.USAGE, expect.stringContaining('Exit codes: 0 ok')]);
  });
});
