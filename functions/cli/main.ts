// `tessera`, the command line for the HTTP API: finds the command, checks its options, resolves where to
// connect and with which credential, asks before a destructive call, runs it through the typed client,
// prints for a person or (--json) for a script, and exits with a code that says what happened.
import { isTesseraClientError } from '../client/client-error.ts';
import { TesseraClient } from '../client/http-client.ts';
import { type Palette, paletteFor } from './colour.ts';
import type { CliIo, Command } from './command.ts';
import { configPath } from './config-file.ts';
import { CancelledError, UsageError } from './errors.ts';
import { commandHelp, generalHelp } from './help.ts';
import { asJson } from './output.ts';
import { findCommand, groupOf, looseParse, parseCommandLine, unknownCommand } from './parse.ts';
import { confirm, readLine } from './prompt.ts';
import { DEFAULT_URL, ecosystemOfServerToken, resolveSettings } from './settings.ts';
import { cliVersion } from './version.ts';

export type { CliIo };
export { DEFAULT_URL };

/** The exit codes, documented in docs/cli.md. */
export const EXIT = {
  /** The command did what it says. */
  OK: 0,
  /** Tessera refused: a 4xx answer (token invalid, expired, revoked; not found; forbidden; bad input). */
  REFUSED: 1,
  /**
   * The command line is wrong: unknown command or option, missing argument, bad JSON, no credential, or
   * a destructive command without --yes when stdin is not a terminal.
   */
  USAGE: 2,
  /** Tessera could not be reached or failed: no answer, a 5xx, or an answer that is not Tessera's. */
  UNAVAILABLE: 3,
  /** The person answered no at a confirmation prompt: nothing was sent. */
  CANCELLED: 4,
} as const;

/** The one JSON error envelope a script reads for the CLI's own failures, as for the API's. */
const CLI_CODES = { [EXIT.USAGE]: 'CLI_USAGE', [EXIT.CANCELLED]: 'CLI_CANCELLED' } as const;

async function positionalArgs(command: Command, given: string[], io: CliIo): Promise<Record<string, string>> {
  if (given.length !== command.args.length) {
    throw new UsageError(
      `"${command.name}" takes ${command.args.map((a) => `<${a}>`).join(' ') || 'no arguments'}.`,
    );
  }
  const args: Record<string, string> = {};
  for (const [i, name] of command.args.entries()) {
    const value = given[i] ?? '';
    if (name === 'token' && value === '-') {
      if (io.stdin === undefined) throw new UsageError('"-" reads the token from stdin, but there is none.');
      args[name] = await readLine(io.stdin);
    } else args[name] = value;
  }
  return args;
}

/**
 * Runs one `tessera` command line and answers its exit code; never throws.
 *
 * @example
 * const code = await runCli(['token', 'verify', '-'], { env: process.env, stdout: process.stdout, stderr: process.stderr, stdin: process.stdin });
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let json = false;
  let command: Command | undefined;
  try {
    const loose = looseParse(argv);
    json = loose.json;
    if (loose.version) {
      const version = cliVersion();
      io.stdout.write(`${json ? asJson({ name: 'tessera', version }) : `tessera ${version}`}\n`);
      return EXIT.OK;
    }
    const words = loose.words[0] === 'help' ? loose.words.slice(1) : loose.words;
    command = findCommand(words);
    if (command === undefined && (loose.words.length === 0 || loose.words[0] === 'help' || loose.help)) {
      io.stdout.write(`${generalHelp(groupOf(words))}\n`);
      return loose.words.length === 0 && !loose.help ? EXIT.USAGE : EXIT.OK;
    }
    if (command === undefined) throw unknownCommand(words);
    if (loose.help || loose.words[0] === 'help') {
      io.stdout.write(`${commandHelp(command)}\n`);
      return EXIT.OK;
    }
    const { values, positionals } = parseCommandLine(command, argv);
    const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
    const args = await positionalArgs(command, positionals.slice(command.name.split(' ').length), io);
    const settings = command.offline
      ? { url: DEFAULT_URL, credential: undefined, configFile: configPath(io.env) }
      : resolveSettings(command, { url: text('url'), credential: text('credential') }, io.env);
    const client = new TesseraClient({
      baseUrl: settings.url,
      credential: settings.credential,
      ...(io.fetch ? { fetch: io.fetch } : {}),
    });
    const options: Record<string, string | undefined> = {};
    for (const name of Object.keys(command.options)) options[name] = text(name);
    for (const name of Object.keys(command.flags ?? {}))
      options[name] = values[name] === true ? 'true' : undefined;
    const ecosystemId = () => {
      const id = options.ecosystem ?? ecosystemOfServerToken(settings.credential);
      if (id === undefined) throw new UsageError('Name the ecosystem with --ecosystem <ecosystemId>.');
      return id;
    };
    const input = { args, options, client, ecosystemId, io, configFile: settings.configFile, json };
    if (command.confirm !== undefined) {
      const question = paletteFor(io.stderr, io.env).bold(command.confirm(input));
      await confirm(question, { input: io.stdin, output: io.stderr, yes: values.yes === true });
    }
    const output = await command.run(input);
    const human = output.plain ? output.human : headline(output.human, paletteFor(io.stdout, io.env));
    io.stdout.write(`${json ? asJson(output.json) : human}\n`);
    return EXIT.OK;
  } catch (err) {
    return report(err, io, json, command);
  }
}

/** The first line of a person's output in bold, at a terminal. */
function headline(text: string, paint: Palette): string {
  const end = text.indexOf('\n');
  return end === -1 ? paint.bold(text) : paint.bold(text.slice(0, end)) + text.slice(end);
}

function report(err: unknown, io: CliIo, json: boolean, command: Command | undefined): number {
  const paint = paletteFor(io.stderr, io.env);
  const prefix = paint.red('tessera:');
  if (isTesseraClientError(err)) {
    const unavailable =
      err.code === 'NETWORK_ERROR' ||
      err.code === 'RESPONSE_INVALID' ||
      (err.status ?? 0) >= 500 ||
      err.status === 429;
    if (json) io.stdout.write(`${asJson(err.toJSON())}\n`);
    else {
      const retry = err.retryAfterSeconds === undefined ? '' : ` Retry after ${err.retryAfterSeconds} s.`;
      io.stderr.write(`${prefix} ${err.code}: ${err.message}${retry}\n`);
    }
    return unavailable ? EXIT.UNAVAILABLE : EXIT.REFUSED;
  }
  const code =
    err instanceof CancelledError
      ? EXIT.CANCELLED
      : err instanceof UsageError ||
          err instanceof TypeError ||
          (err instanceof Error && String((err as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS'))
        ? EXIT.USAGE
        : undefined;
  if (code === undefined) {
    io.stderr.write(`${prefix} unexpected failure: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.UNAVAILABLE;
  }
  const message = (err as Error).message;
  if (json) io.stdout.write(`${asJson({ error: { code: CLI_CODES[code], message } })}\n`);
  if (code === EXIT.CANCELLED)
    io.stderr.write(`${message}\n`); // a person is at the terminal
  else if (!json) {
    const hint = command ? `tessera ${command.name} --help` : 'tessera --help';
    io.stderr.write(`${prefix} ${message}\nRun "${hint}" for usage.\n`);
  }
  return code;
}
