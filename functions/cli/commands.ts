// The commands of `tessera`: what each takes, the credential it needs, and what it prints.
import type { TesseraClient } from '../client/http-client.ts';
import type { IssuedToken, JsonObject } from '../client/types.ts';
import { fields } from './output.ts';
import { usageText } from './usage-view.ts';

/** A mistake in how the command was typed: exit code 2, with the command's usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface CommandInput {
  /** The positional arguments after the command words, already read from stdin where `-` was given. */
  args: Record<string, string>;
  options: Record<string, string | undefined>;
  client: TesseraClient;
  /** The --ecosystem option, else the ecosystem a server token belongs to. */
  ecosystemId(): string;
}

/** What a command answers: the API's JSON for --json, and lines for a person. */
export interface CommandOutput {
  json: unknown;
  human: string;
}

export interface Command {
  /** The command words, e.g. `token create`. */
  name: string;
  summary: string;
  /** Positional arguments, in order; a token argument may be `-` to read it from stdin. */
  args: string[];
  /** Command options (beyond the global ones) and their help. */
  options: Record<string, string>;
  /** Which credential the command sends: the account token, any (server or account), or none. */
  credential: 'account' | 'any' | 'none';
  run(input: CommandInput): Promise<CommandOutput>;
}

const ECOSYSTEM_OPTION = {
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

function secondsOption(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[0-9]{1,12}$/.test(text)) throw new UsageError(`--${name} must be a whole number of seconds.`);
  return Number(text);
}

function issuedOutput(verb: string, issued: IssuedToken): CommandOutput {
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

export const COMMANDS: readonly Command[] = [
  {
    name: 'ecosystem create',
    summary: 'Create an ecosystem; prints its first server token once.',
    args: [],
    options: { name: 'a name for people to recognise it by' },
    credential: 'account',
    run: async ({ options, client }) => {
      const eco = await client.createEcosystem(options.name === undefined ? {} : { name: options.name });
      return {
        json: eco,
        human: `Created ecosystem ${eco.ecosystemId}\n${fields([
          ['name', eco.name],
          ['serverTokenId', eco.serverTokenId],
          ['serverToken', eco.serverToken],
        ])}\nThe server token is shown only now: keep it in your secret store.`,
      };
    },
  },
  {
    name: 'ecosystem get',
    summary: 'Show an ecosystem.',
    args: ['ecosystemId'],
    options: {},
    credential: 'any',
    run: async ({ args, client }) => {
      const eco = await client.getEcosystem(args.ecosystemId ?? '');
      return { json: eco, human: `Ecosystem ${eco.ecosystemId}\n${fields(Object.entries(eco))}` };
    },
  },
  {
    name: 'ecosystem delete',
    summary: 'Delete an ecosystem; every token of it stops verifying.',
    args: ['ecosystemId'],
    options: {},
    credential: 'account',
    run: async ({ args, client }) => {
      await client.deleteEcosystem(args.ecosystemId ?? '');
      return { json: { deleted: true }, human: `Deleted ecosystem ${args.ecosystemId}.` };
    },
  },
  {
    name: 'user put',
    summary: 'Create a user, or replace its metadata.',
    args: ['userId'],
    options: { ...ECOSYSTEM_OPTION, metadata: 'the user metadata, a JSON object (default {})' },
    credential: 'any',
    run: async ({ args, options, client, ecosystemId }) => {
      const metadata = jsonObjectOption('metadata', options.metadata);
      const user = await client.putUser(ecosystemId(), args.userId ?? '', metadata ? { metadata } : {});
      const { created, ...body } = user;
      const verb = created ? 'Created' : 'Replaced the metadata of';
      return {
        json: body,
        human: `${verb} user ${user.userId} in ecosystem ${user.ecosystemId}\n${fields([['metadata', user.metadata]])}`,
      };
    },
  },
  {
    name: 'user get',
    summary: 'Show a user and its metadata.',
    args: ['userId'],
    options: ECOSYSTEM_OPTION,
    credential: 'any',
    run: async ({ args, client, ecosystemId }) => {
      const user = await client.getUser(ecosystemId(), args.userId ?? '');
      return { json: user, human: `User ${user.userId}\n${fields(Object.entries(user))}` };
    },
  },
  {
    name: 'user delete',
    summary: 'Delete a user; every token of it stops verifying.',
    args: ['userId'],
    options: ECOSYSTEM_OPTION,
    credential: 'any',
    run: async ({ args, client, ecosystemId }) => {
      const eco = ecosystemId();
      await client.deleteUser(eco, args.userId ?? '');
      return { json: { deleted: true }, human: `Deleted user ${args.userId} from ecosystem ${eco}.` };
    },
  },
  {
    name: 'token create',
    summary: 'Issue a user token.',
    args: ['userId'],
    options: {
      ...ECOSYSTEM_OPTION,
      'expiry-type': 'FixedTtl (default), SlidingTtl or Infinite',
      ttl: 'seconds (default 3600; ignored for Infinite)',
      'max-ttl': 'SlidingTtl only: an absolute cap in seconds, at least --ttl',
      claims: 'extra claims carried in the token, a JSON object',
    },
    credential: 'any',
    run: async ({ args, options, client, ecosystemId }) => {
      const claims = jsonObjectOption('claims', options.claims);
      const issued = await client.issueToken(ecosystemId(), args.userId ?? '', {
        expiryType: options['expiry-type'] as IssuedToken['expiryType'] | undefined,
        ttl: secondsOption('ttl', options.ttl),
        maxTtl: secondsOption('max-ttl', options['max-ttl']),
        ...(claims ? { claims } : {}),
      });
      return issuedOutput('Issued', issued);
    },
  },
  {
    name: 'token verify',
    summary: 'Verify a user token (a use, for SlidingTtl); exit 1 when it is refused.',
    args: ['token'],
    options: {},
    credential: 'none',
    run: async ({ args, client }) => {
      const v = await client.verifyToken(args.token ?? '');
      return {
        json: v,
        human: `Valid: user ${v.userId} of ecosystem ${v.ecosystemId}\n${fields([
          ['tokenId', v.tokenId],
          ['expiryType', v.expiryType],
          ['expiresAt', v.expiresAt],
          ['absoluteExpiresAt', v.absoluteExpiresAt],
          ['lastUsedAt', v.lastUsedAt],
          ['claims', v.claims],
          ['metadata', v.metadata],
        ])}`,
      };
    },
  },
  {
    name: 'token refresh',
    summary: 'Exchange a user token for its successor; the old one stops verifying.',
    args: ['token'],
    options: {},
    credential: 'none',
    run: async ({ args, client }) =>
      issuedOutput('Refreshed: new', await client.refreshToken(args.token ?? '')),
  },
  {
    name: 'token revoke',
    summary: 'Revoke a user token (log out).',
    args: ['token'],
    options: {},
    credential: 'none',
    run: async ({ args, client }) => {
      await client.revokeToken(args.token ?? '');
      return { json: { revoked: true }, human: 'Revoked.' };
    },
  },
  {
    name: 'usage',
    summary: "Show an ecosystem's usage: active identities, outcomes, refusals by code, per day.",
    args: [],
    options: {
      ...ECOSYSTEM_OPTION,
      from: 'the first UTC day, YYYY-MM-DD (with --to; default: the last 30 days)',
      to: 'the last UTC day, YYYY-MM-DD',
    },
    credential: 'any',
    run: async ({ options, client, ecosystemId }) => {
      if ((options.from === undefined) !== (options.to === undefined)) {
        throw new UsageError('Give --from and --to together, or neither for the last 30 days.');
      }
      const report = await client.getUsage(ecosystemId(), { from: options.from, to: options.to });
      return { json: report, human: usageText(report) };
    },
  },
  {
    name: 'keys',
    summary: 'List the public signing keys of the JWKS.',
    args: [],
    options: {},
    credential: 'none',
    run: async ({ client }) => {
      const jwks = await client.getJwks();
      const lines = jwks.keys.map((k) => `  ${k.kid}  ${k.alg} ${k.crv}`);
      return { json: jwks, human: [`${jwks.keys.length} signing key(s):`, ...lines].join('\n') };
    },
  },
];
