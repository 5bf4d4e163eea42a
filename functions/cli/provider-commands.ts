// `tessera providers …` and `tessera token exchange`: an ecosystem's token providers (Infobip, Twilio,
// Stream), and a user token exchanged for a provider's token. A provider's body comes from a JSON file or
// stdin, never from an option, so its secret stays out of shell history and process listings.
import { readFile } from 'node:fs/promises';
import type { ProviderBody, ProviderView } from '../client/types.ts';
import { type CliIo, type Command, ECOSYSTEM_OPTION, UsageError } from './command.ts';
import { fields, table } from './output.ts';

/** The provider body of `--file`: a JSON object, read from the file or (`-`) all of stdin. */
async function providerBody(file: string | undefined, io: CliIo): Promise<ProviderBody> {
  if (file === undefined) {
    throw new UsageError(
      'Give the provider as --file <path.json> (or --file - for stdin): it holds a secret.',
    );
  }
  let text: string;
  if (file === '-') {
    if (io.stdin === undefined) throw new UsageError('"--file -" reads stdin, but there is none.');
    const chunks: string[] = [];
    for await (const chunk of io.stdin)
      chunks.push(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    text = chunks.join('');
  } else {
    try {
      text = await readFile(file, 'utf8');
    } catch {
      throw new UsageError(`--file ${file} cannot be read.`);
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError('--file must hold JSON: a provider body such as {"type":"stream","apiSecret":"…"}.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError('--file must hold a JSON object: a provider body.');
  }
  return value as ProviderBody;
}

/** A provider's settings for people: its id and type as the headline, then its other fields. */
function providerText(headline: string, provider: ProviderView): string {
  const { providerId: _id, type: _type, ...rest } = provider;
  return `${headline}\n${fields(Object.entries(rest))}`;
}

export const PROVIDER_COMMANDS: readonly Command[] = [
  {
    name: 'providers put',
    summary: 'Create or replace a token provider (infobip, twilio, stream) from a JSON body.',
    args: ['providerId'],
    options: {
      ...ECOSYSTEM_OPTION,
      file: 'the provider body, a JSON file, or - for stdin (holds its secret)',
    },
    credential: 'any',
    run: async ({ args, options, client, ecosystemId, io }) => {
      const body = await providerBody(options.file, io);
      const { created, ...provider } = await client.putProvider(ecosystemId(), args.providerId ?? '', body);
      const verb = created ? 'Created' : 'Replaced';
      return {
        json: provider,
        human: providerText(`${verb} ${provider.type} provider ${provider.providerId}`, provider),
      };
    },
  },
  {
    name: 'providers list',
    summary: "List an ecosystem's token providers (never their secrets).",
    args: [],
    options: ECOSYSTEM_OPTION,
    credential: 'any',
    run: async ({ client, ecosystemId }) => {
      const providers = await client.listProviders(ecosystemId());
      const rows = providers.map((p) => [p.providerId, p.type, p.ttl, p.createdAt]);
      return {
        json: { providers },
        human: `${providers.length} provider(s)\n${table(['providerId', 'type', 'ttl', 'createdAt'], rows)}`,
      };
    },
  },
  {
    name: 'providers get',
    summary: "Show a token provider's settings (never its secret).",
    args: ['providerId'],
    options: ECOSYSTEM_OPTION,
    credential: 'any',
    run: async ({ args, client, ecosystemId }) => {
      const provider = await client.getProvider(ecosystemId(), args.providerId ?? '');
      return {
        json: provider,
        human: providerText(`${provider.type} provider ${provider.providerId}`, provider),
      };
    },
  },
  {
    name: 'providers delete',
    summary: 'Delete a token provider; exchanges for it stop at once.',
    args: ['providerId'],
    options: ECOSYSTEM_OPTION,
    credential: 'any',
    confirm: ({ args, ecosystemId }) => `Delete provider ${args.providerId} of ecosystem ${ecosystemId()}?`,
    run: async ({ args, client, ecosystemId }) => {
      await client.deleteProvider(ecosystemId(), args.providerId ?? '');
      return { json: { deleted: true }, human: `Deleted provider ${args.providerId}.` };
    },
  },
  {
    name: 'token exchange',
    summary: "Exchange a user token for a provider's token for its user (a use, as verify).",
    args: ['token', 'providerId'],
    options: {},
    credential: 'none',
    run: async ({ args, client }) => {
      const exchanged = await client.exchangeToken(args.token ?? '', args.providerId ?? '');
      return {
        json: exchanged,
        human: `${exchanged.type} token from provider ${exchanged.provider}\n${fields([
          ['token', exchanged.token],
          ['expiresAt', exchanged.expiresAt],
        ])}`,
      };
    },
  },
];
