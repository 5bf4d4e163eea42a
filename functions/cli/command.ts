// What a `tessera` command is: its words, arguments, options, the credential it sends, the question it
// asks before a destructive call, and how it prints; plus the option readers the commands share.
import type { TesseraClient } from '../client/http-client.ts';
import type { IssuedToken, JsonObject } from '../client/types.ts';
import { UsageError } from './errors.ts';
import { fields } from './output.ts';
import type { PromptInput } from './prompt.ts';

export { UsageError };

/** What the CLI may touch: handed in by the launcher, so tests run it in-process too. */
export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  /** Read when a token argument is `-`, and for the answers to prompts (a terminal only). */
  stdin?: PromptInput;
  fetch?: typeof fetch;
}

export interface CommandInput {
  /** The positional arguments after the command words, already read from stdin where `-` was given. */
  args: Record<string, string>;
  options: Record<string, string | undefined>;
  client: TesseraClient;
  /** The --ecosystem option, else the ecosystem a server token belongs to. */
  ecosystemId(): string;
  io: CliIo;
  /** Where `tessera login` keeps the URL and credential; undefined without HOME or XDG_CONFIG_HOME. */
  configFile: string | undefined;
  /** --json: for a command that prints as it goes (events tail --follow), rather than answering once. */
  json: boolean;
}

/** What a command answers: the API's JSON for --json, and lines for a person (the first one a headline). */
export interface CommandOutput {
  json: unknown;
  human: string;
  /** True when `human` is a document (JSON), not lines with a headline to highlight. */
  plain?: true;
}

/** Which credential a command sends: the account token, any (server or account), or none at all. */
export type CredentialKind = 'account' | 'any' | 'none';

export interface Command {
  /** The command words, e.g. `token create`. */
  name: string;
  summary: string;
  /** Positional arguments, in order; an argument named `token` may be `-` to read it from stdin. */
  args: string[];
  /** Command options (beyond the global ones) and their help; all take a value. */
  options: Record<string, string>;
  /** Command options that take no value, and their help; given, they read as "true" in `options`. */
  flags?: Record<string, string>;
  credential: CredentialKind;
  /** True for a command that never calls the API (it takes no --url). */
  offline?: true;
  /** A destructive command's question, asked on a terminal before it runs; --yes skips it. */
  confirm?(input: CommandInput): string;
  run(input: CommandInput): Promise<CommandOutput>;
}

export const ECOSYSTEM_OPTION = {
  ecosystem: 'the ecosystem id (default: the ecosystem of a server token credential)',
};

/**
 * Parses a JSON object given on the command line; a UsageError names the option otherwise.
 *
 * @example
 * jsonObjectOption('claims', '{"room":"general"}'); // { room: 'general' }
 */
export function jsonObjectOption(name: string, text: string | undefined): JsonObject | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`--${name} must be JSON, e.g. --${name} '{"plan":"pro"}'.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`--${name} must be a JSON object, e.g. --${name} '{"plan":"pro"}'.`);
  }
  return value as JsonObject;
}

/**
 * Whole seconds given on the command line; a UsageError otherwise.
 *
 * @example
 * secondsOption('ttl', '900'); // 900
 */
export function secondsOption(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[0-9]{1,12}$/.test(text)) throw new UsageError(`--${name} must be a whole number of seconds.`);
  return Number(text);
}

/**
 * How a newly issued or refreshed token prints: its id as the headline, then its fields.
 *
 * @example
 * issuedOutput('Issued', await client.issueToken(eco, 'alice'));
 */
export function issuedOutput(verb: string, issued: IssuedToken): CommandOutput {
  return {
    json: issued,
    human: `${verb} token ${issued.tokenId}\n${fields([
      ['token', issued.token],
      ['expiryType', issued.expiryType],
      ['ttl', issued.ttl],
      ['expiresAt', issued.expiresAt],
      ['absoluteExpiresAt', issued.absoluteExpiresAt],
      ['lastUsedAt', issued.lastUsedAt],
    ])}`,
  };
}
