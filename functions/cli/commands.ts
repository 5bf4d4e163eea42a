// Every command of `tessera`, in the order help lists them: the groups from their own files, and the
// reading commands (usage, keys, openapi) here.
import { getOpenApi } from './api.ts';
import { type Command, ECOSYSTEM_OPTION } from './command.ts';
import { ECOSYSTEM_COMMANDS } from './ecosystem-commands.ts';
import { UsageError } from './errors.ts';
import { EVENT_COMMANDS } from './event-commands.ts';
import { asJson } from './output.ts';
import { PROVIDER_COMMANDS } from './provider-commands.ts';
import { REVOCATION_COMMANDS } from './revocation-commands.ts';
import { SESSION_COMMANDS } from './session-commands.ts';
import { TOKEN_COMMANDS } from './token-commands.ts';
import { usageText } from './usage-view.ts';
import { USER_COMMANDS } from './user-commands.ts';

export { type Command, UsageError };

const READING_COMMANDS: readonly Command[] = [
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
  {
    name: 'openapi',
    summary: 'Print the OpenAPI document of the API (JSON, with or without --json).',
    args: [],
    options: {},
    credential: 'none',
    run: async ({ client, io }) => {
      const document = await getOpenApi(client.baseUrl, io.fetch);
      return { json: document, human: asJson(document), plain: true };
    },
  },
];

export const COMMANDS: readonly Command[] = [
  ...ECOSYSTEM_COMMANDS,
  ...USER_COMMANDS,
  ...TOKEN_COMMANDS,
  ...REVOCATION_COMMANDS,
  ...PROVIDER_COMMANDS,
  ...READING_COMMANDS,
  ...EVENT_COMMANDS,
  ...SESSION_COMMANDS,
];
