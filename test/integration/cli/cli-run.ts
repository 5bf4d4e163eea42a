// The CLI run in-process with an injected stdin (a terminal or a pipe, as the test says) and output
// streams that may claim to be terminals: how the prompt, the login and the colours are tested.
import { Readable } from 'node:stream';
import { runCli } from '../../../functions/cli/main.ts';

export interface RunOptions {
  /** What arrives on stdin, chunk by chunk; no stdin at all when undefined. */
  input?: string[];
  /** Whether stdin is a terminal (a confirmation prompt is asked only then). */
  stdinTty?: boolean;
  /** Whether stdout and stderr are terminals (colours are used only then). */
  outputTty?: boolean;
  /** A stand-in for raw mode on a terminal stdin: records each call. */
  rawMode?: boolean[];
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `tessera <argv>` in this process with `env` as its whole environment.
 *
 * @example
 * const { code, stderr } = await runTessera(['token', 'revoke-all', 'alice'], env, { input: ['n\n'], stdinTty: true });
 */
export async function runTessera(
  argv: string[],
  env: Record<string, string>,
  options: RunOptions = {},
): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const stdin =
    options.input === undefined
      ? undefined
      : Object.assign(Readable.from(options.input), {
          isTTY: options.stdinTty === true,
          ...(options.rawMode ? { setRawMode: (raw: boolean) => options.rawMode?.push(raw) } : {}),
        });
  const code = await runCli(argv, {
    env,
    stdout: { write: (t: string) => (stdout += t), isTTY: options.outputTty === true },
    stderr: { write: (t: string) => (stderr += t), isTTY: options.outputTty === true },
    ...(stdin ? { stdin } : {}),
  });
  return { code, stdout, stderr };
}
