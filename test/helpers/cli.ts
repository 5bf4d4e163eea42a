// The CLI run in-process with only the environment given, its output captured, for tests that read it.
import { runCli } from '../../functions/cli/main.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `tessera <argv>` in this process with `env` as its whole environment; answers its exit code and
 * everything it wrote to stdout and stderr.
 *
 * @example
 * const { code, stdout } = await runCliCaptured(['keys', '--json'], { TESSERA_URL: server.url });
 */
export async function runCliCaptured(argv: string[], env: Record<string, string>): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    env,
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
  });
  return { code, stdout, stderr };
}
