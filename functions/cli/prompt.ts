// Questions at a terminal: "are you sure?" before a destructive command, and a credential typed or
// pasted for `tessera login` without echoing it. Input comes through CliIo.stdin, so tests inject it.
import { CancelledError, UsageError } from './errors.ts';

/** What the prompt reads from: process.stdin, or a stream a test hands in. */
export type PromptInput = AsyncIterable<string | Buffer> & {
  isTTY?: boolean;
  setRawMode?(raw: boolean): unknown;
};

interface Writer {
  write(text: string): unknown;
}

/**
 * One line of input, without its line end; what came before the end of input if there was no line end.
 *
 * @example
 * await readLine(process.stdin); // 'y'
 */
export async function readLine(input: AsyncIterable<string | Buffer>): Promise<string> {
  let text = '';
  for await (const chunk of input) {
    text += chunk.toString();
    if (/[\r\n]/.test(text)) break;
  }
  return (/^[^\r\n]*/.exec(text)?.[0] ?? '').trim();
}

/**
 * Asks `question` on stderr and resolves when the answer is y or yes; throws CancelledError otherwise.
 * With `yes` it asks nothing. When stdin is not a terminal it never waits for an answer a script
 * cannot give: a UsageError says to pass --yes.
 *
 * @example
 * await confirm('Delete ecosystem eco1?', { input: io.stdin, output: io.stderr, yes: values.yes === true });
 */
export async function confirm(
  question: string,
  options: { input: PromptInput | undefined; output: Writer; yes: boolean },
): Promise<void> {
  if (options.yes) return;
  if (options.input === undefined || options.input.isTTY !== true) {
    throw new UsageError(
      `${question} Stdin is not a terminal, so nobody can answer: pass --yes to go ahead.`,
    );
  }
  options.output.write(`${question} [y/N] `);
  const answer = await readLine(options.input);
  if (!/^y(es)?$/i.test(answer)) throw new CancelledError('Cancelled: nothing was done.');
}

/**
 * Reads a secret: on a terminal with raw mode, keystrokes are not echoed (backspace works, Ctrl-C and
 * Ctrl-D cancel); from a pipe, one line.
 *
 * @example
 * const credential = await readSecret(io.stdin, io.stderr, 'Account or server token: ');
 */
export async function readSecret(input: PromptInput, output: Writer, question: string): Promise<string> {
  if (input.isTTY !== true || input.setRawMode === undefined) return readLine(input);
  output.write(question);
  input.setRawMode(true);
  let secret = '';
  try {
    for await (const chunk of input) {
      for (const char of chunk.toString()) {
        if (char === '\r' || char === '\n') return secret.trim();
        if (char === '\u0003' || char === '\u0004') throw new CancelledError('Cancelled: nothing was saved.');
        if (char === '\u007f' || char === '\b') secret = secret.slice(0, -1);
        else if (char >= ' ') secret += char; // other control characters (tab, escape) are dropped
      }
    }
    return secret.trim();
  } finally {
    input.setRawMode(false);
    output.write('\n');
  }
}
