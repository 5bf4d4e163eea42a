// Runs a built function bundle as Lambda would load it: in a fresh Node process, its `handler` called once
// with one event, the answer printed on a marked line (a function also writes log and metric lines).
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const MARK = '@@ANSWER@@';
/** A thrown error is answered as `{ thrown: message }`, as the authorizer's `Unauthorized` is. */
const RUNNER = `const { handler } = await import(process.argv[2]);
let answer;
try { answer = await handler(JSON.parse(process.argv[3]), {}); } catch (err) { answer = { thrown: err.message }; }
process.stdout.write('\\n${MARK}' + JSON.stringify(answer) + '\\n');
`;

/**
 * Writes the runner script into `dir`; answers its path.
 *
 * @example
 * const runner = await writeBundleRunner(dir);
 * const { answer } = await invokeBundle(runner, file, { token }, { TESSERA_STORE: 'dynamodb' });
 */
export async function writeBundleRunner(dir: string): Promise<string> {
  const path = join(dir, 'runner.mjs');
  await writeFile(path, RUNNER);
  return path;
}

/** Invokes the bundle at `file` with `event` in a new process with exactly `env` (and PATH); answers its
 * answer and every other line it wrote to stdout. */
export async function invokeBundle(
  runner: string,
  file: string,
  event: unknown,
  env: Record<string, string | undefined>,
): Promise<{ answer: unknown; lines: string[] }> {
  const { stdout } = await run(process.execPath, [runner, file, JSON.stringify(event)], {
    env: { PATH: process.env.PATH ?? '', NODE_NO_WARNINGS: '1', ...env },
    timeout: 30_000,
  });
  const lines = stdout.split('\n');
  const marked = lines.find((line) => line.startsWith(MARK));
  return { answer: JSON.parse(marked?.slice(MARK.length) ?? 'null'), lines };
}
