// `tessera --help`, `tessera <group> --help` and `tessera <command> --help`: the commands, each
// command's options and the environment variables it reads, the exit codes.
import type { Command } from './command.ts';
import { COMMANDS } from './commands.ts';
import { environmentOf, optionsOf } from './options.ts';

/** What an option's value is, in its help line. */
const PLACEHOLDERS: Readonly<Record<string, string>> = {
  url: 'url',
  credential: 'token',
  ecosystem: 'ecosystemId',
  name: 'name',
  metadata: 'json',
  claims: 'json',
  ttl: 'seconds',
  'max-ttl': 'seconds',
  'expiry-type': 'type',
  from: 'YYYY-MM-DD',
  to: 'YYYY-MM-DD',
};

const EXIT_LINE =
  'Exit codes: 0 ok, 1 refused by Tessera (4xx), 2 usage error, 3 unreachable or failed (5xx), 4 cancelled at a prompt.';

/**
 * `tessera token list <userId>`: the command words and its arguments.
 *
 * @example
 * usageLine(command); // 'tessera token revoke-id <userId> <tokenId>'
 */
export function usageLine(command: Command): string {
  return `tessera ${command.name}${command.args.map((a) => ` <${a}>`).join('')}`;
}

function columns(rows: Array<[string, string]>): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}

/**
 * Every command (or those of one group, e.g. `token`) with its summary, and the options all share.
 *
 * @example
 * generalHelp('server-token'); // 'Usage: tessera <command> …\n\nCommands:\n  tessera server-token create …'
 */
export function generalHelp(group?: string): string {
  const listed = COMMANDS.filter((c) => group === undefined || c.name.startsWith(`${group} `));
  return [
    'Usage: tessera <command> [arguments] [options]',
    '',
    'Commands:',
    ...columns(listed.map((c) => [usageLine(c), c.summary])),
    '',
    'Options ("tessera <command> --help" says which a command takes):',
    ...columns([
      ['--json', 'print the answer (or the error) as one JSON document, for scripts'],
      ['--help, -h', 'show help'],
      ['--url <url>', 'the API base URL (else $TESSERA_URL, then the saved login)'],
      ['--credential <token>', 'the account or server token (else the environment, then the saved login)'],
      ['--yes, -y', 'destructive commands: go ahead without asking'],
      ['--version', 'print the version'],
    ]),
    '',
    'A token argument may be "-" to read it from stdin (keeps it out of the process list).',
    'Deletes and revokes by id ask first at a terminal; without one they need --yes.',
    EXIT_LINE,
    'Run "tessera <command> --help" for a command\'s options and environment variables.',
  ].join('\n');
}

/**
 * One command's usage, options and environment variables.
 *
 * @example
 * commandHelp(command); // 'Usage: tessera user put <userId> [options]\n\nCreate a user, …'
 */
export function commandHelp(command: Command): string {
  const options = Object.entries(optionsOf(command)).map(([name, o]): [string, string] => [
    `--${name}${o.short === undefined ? '' : `, -${o.short}`}${o.type === 'string' ? ` <${PLACEHOLDERS[name] ?? 'value'}>` : ''}`,
    o.help,
  ]);
  const notes: string[] = [];
  if (command.credential === 'none' && command.args.includes('token')) {
    notes.push('Sends no credential: the user token is its own. "-" reads the token from stdin.');
  }
  if (command.confirm !== undefined) {
    notes.push('Asks for confirmation at a terminal; when stdin is not a terminal it needs --yes.');
  }
  return [
    `Usage: ${usageLine(command)} [options]`,
    '',
    command.summary,
    '',
    'Options:',
    ...columns(options),
    '',
    'Environment:',
    ...columns(environmentOf(command)),
    ...(notes.length > 0 ? ['', ...notes] : []),
    '',
    EXIT_LINE,
  ].join('\n');
}
