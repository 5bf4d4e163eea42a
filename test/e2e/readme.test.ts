// The README's first five minutes, run as written: `npm start`'s entry point in a child process, the
// account token taken from what it prints, and the walkthrough's bash block executed with curl.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDataDir, removeDataDir } from '../helpers/server.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const run = promisify(execFile);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

interface Started {
  child: ChildProcess;
  output: () => string;
}

/** Starts the local server as `npm start` does and waits for its banner. */
async function start(port: number, dataDir: string): Promise<Started> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    TESSERA_DATA_DIR: dataDir,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  };
  delete env.TESSERA_ACCOUNT_TOKEN;
  const child = spawn(process.execPath, ['--import', 'tsx', 'functions/local/main.ts'], { cwd: ROOT, env });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes('Create an ecosystem')) {
        clearInterval(timer);
        resolve();
      }
    }, 50);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`server exited with ${code}: ${output}`));
    });
  });
  return { child, output: () => output };
}

async function stop(started: Started): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => started.child.once('exit', resolve));
  started.child.kill('SIGTERM');
  return exited;
}

async function walkthrough(): Promise<string> {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  const block = [...readme.matchAll(/```bash\n([\s\S]*?)```/g)]
    .map((m) => m[1] ?? '')
    .find((b) => b.includes('BASE='));
  if (block === undefined) throw new Error('README has no walkthrough block');
  return block;
}

describe('the README walkthrough', () => {
  let dataDir: string;
  let port: number;
  let server: Started;

  beforeAll(async () => {
    dataDir = await makeDataDir();
    port = await freePort();
    server = await start(port, dataDir);
  });

  afterAll(async () => {
    if (server.child.exitCode === null) await stop(server);
    await removeDataDir(dataDir);
  });

  it('prints the account token once, as an export line', () => {
    expect(server.output()).toMatch(/export TESSERA_ACCOUNT_TOKEN=tsa_[A-Za-z0-9_-]{43}\n/);
  });

  it('runs as written against the started server', async () => {
    const token = /export TESSERA_ACCOUNT_TOKEN=(\S+)/.exec(server.output())?.[1] ?? '';
    const script = (await walkthrough()).replace(
      'BASE=http://127.0.0.1:3000',
      `BASE=http://127.0.0.1:${port}`,
    );
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script], {
      env: { ...process.env, TESSERA_ACCOUNT_TOKEN: token },
    });
    const lines = stdout.trim().split('\n');
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ userId: 'alice', metadata: { plan: 'pro' } });
    expect(JSON.parse(lines[1] ?? '')).toMatchObject({ expiryType: 'SlidingTtl', ttl: 900 });
    expect(JSON.parse(lines[2] ?? '')).toMatchObject({
      valid: true,
      userId: 'alice',
      metadata: { plan: 'pro' },
    });
    expect(JSON.parse(lines[3] ?? '')).toMatchObject({ valid: true, userId: 'alice' });
    expect(JSON.parse(lines[4] ?? '')).toMatchObject({ error: { code: 'TOKEN_REVOKED' } });
    expect(lines[5]).toBe('204');
  });

  it('stops cleanly on SIGTERM and keeps its data for the next start, without a new account token', async () => {
    expect(await stop(server)).toBe(0);
    server = await start(port, dataDir);
    expect(server.output()).not.toContain('export TESSERA_ACCOUNT_TOKEN');
    const store = JSON.parse(await readFile(join(dataDir, 'store.json'), 'utf8')) as {
      users: { userId: string }[];
    };
    expect(store.users.map((u) => u.userId)).toContain('alice');
  });
});
