// The confirmation before a destructive command: answered through an injected stdin that claims to be a
// terminal, refused on a stdin that is not one (in-process, and once as a real child process on a pipe);
// and the credential prompt of `tessera login`, which turns off echo.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../../functions/cli/main.ts';
import { readSecret } from '../../../functions/cli/prompt.ts';
import { type Seed, seedThroughApi } from '../../helpers/server.ts';
import { useTestServer } from '../../helpers/use-test-server.ts';
import { runTessera } from './cli-run.ts';

const LAUNCHER = join(import.meta.dirname, '..', '..', '..', 'functions', 'cli', 'tessera.mjs');

describe('tessera asks before a destructive command', () => {
  const server = useTestServer();
  let seed: Seed;
  let env: Record<string, string>;

  beforeAll(async () => {
    seed = await seedThroughApi(server);
    env = { TESSERA_URL: server.url, TESSERA_SERVER_TOKEN: seed.serverToken };
  });

  const issue = async () => {
    const path = `/v1/ecosystems/${seed.ecosystemId}/users/alice/tokens`;
    return (await server.call('POST', path, { bearer: seed.serverToken })).body as {
      token: string;
      tokenId: string;
    };
  };
  const verifies = async (token: string) =>
    (await server.call('POST', '/v1/tokens/verify', { body: { token } })).status;

  it('goes ahead when the person answers y at a terminal', async () => {
    const { token, tokenId } = await issue();
    const run = await runTessera(['token', 'revoke-id', 'alice', tokenId], env, {
      input: ['y\n'],
      stdinTty: true,
    });
    expect(run.stderr).toBe(`Revoke token ${tokenId} of user alice in ecosystem ${seed.ecosystemId}? [y/N] `);
    expect([run.code, run.stdout]).toEqual([EXIT.OK, `Revoked token ${tokenId} of user alice.\n`]);
    expect(await verifies(token)).toBe(401);
  });

  it.each([['n\n'], ['\n'], ['yep\n'], ['']])('does nothing and exits 4 on the answer %j', async (answer) => {
    const { token } = await issue();
    const run = await runTessera(['token', 'revoke-all', 'alice', '--json'], env, {
      input: [answer],
      stdinTty: true,
    });
    expect(run.code).toBe(EXIT.CANCELLED);
    expect(run.stderr).toContain('Revoke every token of user alice');
    expect(run.stderr).toContain('Cancelled: nothing was done.');
    expect(JSON.parse(run.stdout).error.code).toBe('CLI_CANCELLED');
    expect(await verifies(token)).toBe(200);
  });

  it('refuses to ask when stdin is not a terminal, and --yes skips the question', async () => {
    const piped = await runTessera(['user', 'delete', 'alice'], env, { input: ['y\n'], stdinTty: false });
    expect(piped.code).toBe(EXIT.USAGE);
    expect(piped.stderr).toContain('Stdin is not a terminal, so nobody can answer: pass --yes to go ahead.');
    expect((await runTessera(['user', 'get', 'alice'], env)).code).toBe(EXIT.OK);
    const { token } = await issue();
    const yes = await runTessera(['token', 'revoke-all', 'alice', '--yes'], env, {
      input: ['n\n'],
      stdinTty: true,
    });
    expect([yes.code, yes.stderr]).toEqual([EXIT.OK, '']);
    expect(await verifies(token)).toBe(401);
  });

  it('exits 2 as a child process whose stdin is a pipe, without --yes', async () => {
    const { token } = await issue();
    const child = spawn(process.execPath, [LAUNCHER, 'token', 'revoke-all', 'alice'], {
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdin.end('y\n'); // a script's "y" is not an answer: it has to say --yes
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(EXIT.USAGE);
    expect(stderr).toContain('pass --yes to go ahead');
    expect(await verifies(token)).toBe(200);
  });
});

describe('readSecret', () => {
  it('reads with echo off in raw mode, honours backspace, and restores the terminal', async () => {
    const raw: boolean[] = [];
    const input = Object.assign(Readable.from(['tsa_ab', 'x\u007fc', '\r', 'ignored']), {
      isTTY: true,
      setRawMode: (on: boolean) => raw.push(on),
    });
    let shown = '';
    const secret = await readSecret(input, { write: (t: string) => (shown += t) }, 'Token: ');
    expect(secret).toBe('tsa_abc');
    expect(raw).toEqual([true, false]);
    expect(shown).toBe('Token: \n');
  });
});
