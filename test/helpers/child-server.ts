// A server run as its own Node process (through tsx), as the load run and the throughput bench measure it.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

/**
 * Starts `node --import tsx <args>` in the repository with `env` over this process's environment, and
 * answers the URL it prints (`listening on <url>`) once listening; fails if it exits before.
 *
 * @example
 * const { child, url } = await startChild(['functions/local/main.ts'], { PORT: '0', TESSERA_DATA_DIR: dir });
 * // later: await stopChild(child)
 */
export async function startChild(
  args: string[],
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    child.once('exit', (code) =>
      reject(new Error(`${args[0]} exited (${code}) before listening:\n${output}`)),
    );
  });
  child.stdout?.resume(); // keep draining whatever it writes later
  return { child, url };
}

/** Sends SIGTERM and waits for the exit (at once if it has already exited). */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
