// Colours for a person at a terminal only: never into a pipe or a file, and never when NO_COLOR is set
// (https://no-color.org: "when present and not an empty string") or the terminal is TERM=dumb.

export interface Palette {
  bold(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
}

const sgr = (on: number, off: number) => (text: string) => `\u001b[${on}m${text}\u001b[${off}m`;
const plain = (text: string) => text;

const COLOURS: Palette = { bold: sgr(1, 22), red: sgr(31, 39), green: sgr(32, 39), yellow: sgr(33, 39) };
const PLAIN: Palette = { bold: plain, red: plain, green: plain, yellow: plain };

/**
 * The palette for one output stream: ANSI colours on a TTY, plain text otherwise.
 *
 * @example
 * const paint = paletteFor(process.stderr, process.env);
 * process.stderr.write(`${paint.red('tessera:')} TOKEN_REVOKED: …\n`);
 */
export function paletteFor(stream: { isTTY?: boolean }, env: Record<string, string | undefined>): Palette {
  const off = (env.NO_COLOR ?? '') !== '' || env.TERM === 'dumb';
  return stream.isTTY === true && !off ? COLOURS : PLAIN;
}
