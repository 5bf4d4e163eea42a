// `tessera`, the command line for the HTTP API: parses argv with node:util, runs one command through the
// typed client, prints for a person or (--json) for a script, and exits with a code that says what happened.
import { parseArgs } from 'node:util';
import { isTesseraClientError } from '../client/client-error.ts';
import { TesseraClient } from '../client/http-client.ts';
import { COMMANDS, type Command, UsageError } from './commands.ts';
import { asJson } from './output.ts';

/** What the CLI may touch: handed in by the launcher, so tests run it in-process too. */
export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** Read when a token argument is `-`. */
  stdin?: AsyncIterable<string | Buffer>;
  fetch?: typeof fetch;
}

/** The exit codes, documented in docs/cli.md. */
export const EXIT = {
  /** The command did what it says. */
  OK: 0,
  /** Tessera refused: a 4xx answer (token invalid, expired, revoked; not found; forbidden; bad input). */
  REFUSED: 1,
  /** The command line is wrong: unknown command or option, missing argument, bad JSON, no credential. */
  USAGE: 2,
  /** Tessera could not be reached or failed: no answer, a 5xx, or an answer that is not Tessera's. */
  UNAVAILABLE: 3,
} as const;

export const DEFAULT_URL = 'http://127.0.0.1:3000';

const GLOBAL_OPTIONS = {
  url: 'the API base URL (env TESSERA_URL, default http://127.0.0.1:3000)',
  token: 'the credential: account or server token (env TESSERA_SERVER_TOKEN, TESSERA_ACCOUNT_TOKEN)',
  json: 'print the API answer as JSON, for scripts',
  help: 'show help',
} as const;

type Spec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

function optionSpec(names: Iterable<string>): Spec {
  const spec: Spec = { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } };
  for (const name of names) if (!(name in spec)) spec[name] = { type: 'string' };
  return spec;
}

const ALL_OPTIONS = optionSpec(['url', 'token', ...COMMANDS.flatMap((c) => Object.keys(c.options))]);

function findCommand(words: string[]): Command | undefined {
  return COMMANDS.find((c) => {
    const name = c.name.split(' ');
    return name.every((word, i) => words[i] === word);
  });
}

function generalHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => usageLine(c).length));
  const lines = COMMANDS.map((c) => `  ${usageLine(c).padEnd(width)}  ${c.summary}`);
  const globals = Object.entries(GLOBAL_OPTIONS).map(([n, d]) => `  --${n.padEnd(7)} ${d}`);
  return [
    'Usage: tessera <command> [arguments] [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Options for every command:',
    ...globals,
    '',
    'A token argument may be "-" to read it from stdin (keeps it out of the process list).',
    'Exit codes: 0 ok, 1 refused by Tessera (4xx), 2 usage error, 3 unreachable or failed (5xx).',
    'Run "tessera <command> --help" for a command\'s options.',
  ].join('\n');
}

function usageLine(command: Command): string {
  const args = command.args.map((a) => ` <${a}>`).join('');
  return `tessera ${command.name}${args}`;
}

function commandHelp(command: Command): string {
  const options = { ...command.options, ...GLOBAL_OPTIONS };
  const width = Math.max(...Object.keys(options).map((n) => n.length));
  return [
    `Usage: ${usageLine(command)} [options]`,
    '',
    command.summary,
    '',
    'Options:',
    ...Object.entries(options).map(([n, d]) => `  --${n.padEnd(width)}  ${d}`),
  ].join('\n');
}

async function readStdin(io: CliIo): Promise<string> {
  if (io.stdin === undefined) throw new UsageError('"-" reads the token from stdin, but there is none.');
  let text = '';
  for await (const chunk of io.stdin) text += chunk.toString();
  return text.trim();
}

function credentialFor(command: Command, token: string | undefined, env: CliIo['env']): string | undefined {
  if (command.credential === 'none') return undefined;
  const credential =
    token ??
    (command.credential === 'account'
      ? env.TESSERA_ACCOUNT_TOKEN
      : (env.TESSERA_SERVER_TOKEN ?? env.TESSERA_ACCOUNT_TOKEN));
  if (credential === undefined || credential === '') {
    const variables =
      command.credential === 'account'
        ? 'TESSERA_ACCOUNT_TOKEN'
        : 'TESSERA_SERVER_TOKEN or TESSERA_ACCOUNT_TOKEN';
    throw new UsageError(`"${command.name}" needs a credential: pass --token or set ${variables}.`);
  }
  return credential;
}

/** The ecosystem of a `tss.<ecosystemId>.<serverTokenId>.<secret>` server token. */
function ecosystemOfServerToken(credential: string | undefined): string | undefined {
  const parts = credential?.split('.');
  return parts?.length === 4 && parts[0] === 'tss' ? parts[1] : undefined;
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
    const loose = parseArgs({ args: argv, options: ALL_OPTIONS, strict: false, allowPositionals: true });
    json = loose.values.json === true;
    const words = loose.positionals;
    command = findCommand(words[0] === 'help' ? words.slice(1) : words);
    if (words.length === 0 || words[0] === 'help' || (command === undefined && loose.values.help === true)) {
      io.stdout.write(`${command ? commandHelp(command) : generalHelp()}\n`);
      return words.length === 0 && loose.values.help !== true ? EXIT.USAGE : EXIT.OK;
    }
    if (command === undefined) {
      const group = COMMANDS.filter((c) => c.name.startsWith(`${words[0]} `)).map((c) => c.name);
      const known = group.length > 0 ? ` "${words[0]}" takes: ${group.join(', ')}.` : '';
      throw new UsageError(`Unknown command "${words.slice(0, 2).join(' ')}".${known}`);
    }
    if (loose.values.help === true) {
      io.stdout.write(`${commandHelp(command)}\n`);
      return EXIT.OK;
    }
    const parsed = parseArgs({
      args: argv,
      options: optionSpec(['url', 'token', ...Object.keys(command.options)]),
      strict: true,
      allowPositionals: true,
    });
    const values = parsed.values as Record<string, string | undefined>;
    const given = parsed.positionals.slice(command.name.split(' ').length);
    if (given.length !== command.args.length) {
      throw new UsageError(
        `"${command.name}" takes ${command.args.map((a) => `<${a}>`).join(' ') || 'no arguments'}.`,
      );
    }
    const args: Record<string, string> = {};
    for (const [i, name] of command.args.entries()) {
      const value = given[i] ?? '';
      args[name] = name === 'token' && value === '-' ? await readStdin(io) : value;
    }
    const credential = credentialFor(command, values.token, io.env);
    const client = new TesseraClient({
      baseUrl: values.url ?? io.env.TESSERA_URL ?? DEFAULT_URL,
      credential,
      ...(io.fetch ? { fetch: io.fetch } : {}),
    });
    const ecosystemId = () => {
      const id = values.ecosystem ?? ecosystemOfServerToken(credential);
      if (id === undefined) throw new UsageError('Name the ecosystem with --ecosystem <ecosystemId>.');
      return id;
    };
    const output = await command.run({ args, options: values, client, ecosystemId });
    io.stdout.write(`${json ? asJson(output.json) : output.human}\n`);
    return EXIT.OK;
  } catch (err) {
    return report(err, io, json, command);
  }
}

function report(err: unknown, io: CliIo, json: boolean, command: Command | undefined): number {
  if (isTesseraClientError(err)) {
    const unavailable =
      err.code === 'NETWORK_ERROR' ||
      err.code === 'RESPONSE_INVALID' ||
      (err.status ?? 0) >= 500 ||
      err.status === 429;
    if (json) io.stdout.write(`${asJson(err.toJSON())}\n`);
    else {
      const retry = err.retryAfterSeconds === undefined ? '' : ` Retry after ${err.retryAfterSeconds} s.`;
      io.stderr.write(`tessera: ${err.code}: ${err.message}${retry}\n`);
    }
    return unavailable ? EXIT.UNAVAILABLE : EXIT.REFUSED;
  }
  const usage =
    err instanceof UsageError ||
    err instanceof TypeError ||
    (err instanceof Error && String((err as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS'));
  if (usage) {
    const hint = command ? `tessera ${command.name} --help` : 'tessera --help';
    io.stderr.write(`tessera: ${(err as Error).message}\nRun "${hint}" for usage.\n`);
    return EXIT.USAGE;
  }
  io.stderr.write(`tessera: unexpected failure: ${err instanceof Error ? err.message : String(err)}\n`);
  return EXIT.UNAVAILABLE;
}
