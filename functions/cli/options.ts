// The options each command takes: its own, then the global ones that apply to it (--url unless it is
// offline, --credential when it sends one, --yes when it asks first, --json and --help always).
import type { Command, CredentialKind } from './command.ts';
import { DEFAULT_URL } from './settings.ts';

export interface OptionInfo {
  type: 'string' | 'boolean';
  short?: string;
  help: string;
}

const CREDENTIAL_HELP: Record<Exclude<CredentialKind, 'none'>, string> = {
  account: 'the account token (else $TESSERA_ACCOUNT_TOKEN, else the saved login)',
  any: 'a server token of the ecosystem or the account token (else $TESSERA_SERVER_TOKEN, then $TESSERA_ACCOUNT_TOKEN, then the saved login)',
};

/** Old names refused with a hint rather than guessed at: `--token` collided with a token argument. */
export const RENAMED_OPTIONS: Readonly<Record<string, string>> = {
  token:
    '--token is now --credential (the account or server token); a user token goes as the argument, or "-" for stdin.',
};

/**
 * Every option `command` accepts, by long name, with its help.
 *
 * @example
 * Object.keys(optionsOf(findCommand(['keys']))); // ['url', 'json', 'help']
 */
export function optionsOf(command: Command): Record<string, OptionInfo> {
  const options: Record<string, OptionInfo> = {};
  for (const [name, help] of Object.entries(command.options)) options[name] = { type: 'string', help };
  for (const [name, help] of Object.entries(command.flags ?? {})) options[name] = { type: 'boolean', help };
  if (command.offline !== true) {
    options.url = {
      type: 'string',
      help: `the API base URL (else $TESSERA_URL, then the saved login, then ${DEFAULT_URL})`,
    };
  }
  if (command.credential !== 'none')
    options.credential = { type: 'string', help: CREDENTIAL_HELP[command.credential] };
  if (command.confirm !== undefined) {
    options.yes = {
      type: 'boolean',
      short: 'y',
      help: 'go ahead without asking (required when stdin is not a terminal)',
    };
  }
  options.json = { type: 'boolean', help: 'print the answer as one JSON document, for scripts' };
  options.help = { type: 'boolean', short: 'h', help: 'show this help' };
  return options;
}

/**
 * The environment variables a command reads, each with what it is for.
 *
 * @example
 * environmentOf(findCommand(['keys'])); // [['TESSERA_URL', …], ['NO_COLOR', …]]
 */
export function environmentOf(command: Command): Array<[string, string]> {
  const variables: Array<[string, string]> = [];
  if (command.offline !== true) variables.push(['TESSERA_URL', 'the API base URL']);
  if (command.credential === 'any') {
    variables.push(['TESSERA_SERVER_TOKEN', 'a server token (it also names the ecosystem)']);
    variables.push(['TESSERA_ACCOUNT_TOKEN', 'the account token, when TESSERA_SERVER_TOKEN is unset']);
  }
  if (command.credential === 'account') variables.push(['TESSERA_ACCOUNT_TOKEN', 'the account token']);
  variables.push([
    'XDG_CONFIG_HOME, HOME',
    'where the saved login is: $XDG_CONFIG_HOME/tessera/config.json, else ~/.config/tessera/config.json',
  ]);
  variables.push(['NO_COLOR', 'no colours, even at a terminal']);
  return variables;
}
