// Reading a `tessera` command line with node:util parseArgs: which command the words name, and its
// options checked against what that command takes, with a "did you mean" for a near miss.
import { parseArgs } from 'node:util';
import type { Command } from './command.ts';
import { COMMANDS } from './commands.ts';
import { UsageError } from './errors.ts';
import { type OptionInfo, optionsOf, RENAMED_OPTIONS } from './options.ts';
import { closest } from './suggest.ts';

type Spec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

function specOf(options: Record<string, OptionInfo>): Spec {
  const spec: Spec = {};
  for (const [name, { type, short }] of Object.entries(options)) {
    spec[name] = short === undefined ? { type } : { type, short };
  }
  return spec;
}

/** Every option of every command, so the words can be found before the command is known. */
const LOOSE_SPEC: Spec = {
  ...Object.assign({}, ...COMMANDS.map((c) => specOf(optionsOf(c)))),
  version: { type: 'boolean' },
};

const GROUPS = [
  ...new Set(COMMANDS.filter((c) => c.name.includes(' ')).map((c) => c.name.split(' ')[0] ?? '')),
];

/**
 * The words and the flags that matter before a command is known: --json, --help, --version.
 *
 * @example
 * looseParse(['token', 'verify', '-', '--json']); // { words: ['token', 'verify', '-'], json: true, … }
 */
export function looseParse(argv: string[]): {
  words: string[];
  json: boolean;
  help: boolean;
  version: boolean;
} {
  const { values, positionals } = parseArgs({
    args: argv,
    options: LOOSE_SPEC,
    strict: false,
    allowPositionals: true,
  });
  return {
    words: positionals,
    json: values.json === true,
    help: values.help === true,
    version: values.version === true,
  };
}

/**
 * The command the first words name, if any.
 *
 * @example
 * findCommand(['token', 'list', 'alice'])?.name; // 'token list'
 */
export function findCommand(words: readonly string[]): Command | undefined {
  return COMMANDS.find((c) => c.name.split(' ').every((word, i) => words[i] === word));
}

/** The group the first word names (`token` for `token lst`), if it is one. */
export function groupOf(words: readonly string[]): string | undefined {
  return GROUPS.find((g) => g === words[0]);
}

/**
 * The UsageError for words that name no command: the nearest command, and a group's commands.
 *
 * @example
 * unknownCommand(['tokens', 'list']).message; // 'Unknown command "tokens list". Did you mean "token list"?'
 */
export function unknownCommand(words: readonly string[]): UsageError {
  const typed = words.slice(0, 2).join(' ');
  const twoWords = COMMANDS.filter((c) => c.name.includes(' ')).map((c) => c.name);
  const oneWord = [...GROUPS, ...COMMANDS.filter((c) => !c.name.includes(' ')).map((c) => c.name)];
  const near = (words.length >= 2 ? closest(typed, twoWords) : undefined) ?? closest(words[0] ?? '', oneWord);
  const hint = near === undefined || near === typed ? '' : ` Did you mean "${near}"?`;
  const group = groupOf(words);
  const listing =
    group === undefined
      ? ''
      : ` "${group}" takes: ${COMMANDS.filter((c) => c.name.startsWith(`${group} `))
          .map((c) => c.name)
          .join(', ')}.`;
  return new UsageError(`Unknown command "${typed}".${hint}${listing}`);
}

function unknownOption(command: Command, name: string, raw: string, known: string[]): UsageError {
  if (name === 'credential') {
    return new UsageError(
      `"${command.name}" sends no credential (the user token is its own): leave out --credential.`,
    );
  }
  const renamed = RENAMED_OPTIONS[name];
  if (renamed !== undefined) return new UsageError(renamed);
  const near = raw.startsWith('--') ? closest(name, known) : undefined;
  return new UsageError(`Unknown option '${raw}'.${near === undefined ? '' : ` Did you mean --${near}?`}`);
}

/**
 * The command's options and positional arguments, refusing any option it does not take and any value
 * of the wrong kind.
 *
 * @example
 * parseCommandLine(command, ['user', 'get', 'alice', '--json']); // { values: { json: true }, positionals: ['user', 'get', 'alice'] }
 */
export function parseCommandLine(
  command: Command,
  argv: string[],
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  const options = optionsOf(command);
  const spec = specOf(options);
  const { tokens } = parseArgs({
    args: argv,
    options: spec,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind === 'option' && !Object.hasOwn(spec, token.name)) {
      throw unknownOption(command, token.name, token.rawName, Object.keys(spec));
    }
  }
  const { values, positionals } = parseArgs({
    args: argv,
    options: spec,
    strict: true,
    allowPositionals: true,
  });
  return { values: values as Record<string, string | boolean | undefined>, positionals };
}
