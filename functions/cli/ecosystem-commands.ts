// `tessera ecosystem …` and `tessera server-token …`: the tenants and the credentials of their servers.
import { type Command, ECOSYSTEM_OPTION } from './command.ts';
import { fields, table } from './output.ts';

const SHOWN_ONCE = 'The server token is shown only now: keep it in your secret store.';

export const ECOSYSTEM_COMMANDS: readonly Command[] = [
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
        ])}\n${SHOWN_ONCE}`,
      };
    },
  },
  {
    name: 'ecosystem list',
    summary: 'List every ecosystem, oldest first.',
    args: [],
    options: {},
    credential: 'account',
    run: async ({ client }) => {
      const ecosystems = await client.listEcosystems();
      const rows = ecosystems.map((e) => [e.ecosystemId, e.name, e.createdAt]);
      return {
        json: { ecosystems },
        human: `${ecosystems.length} ecosystem(s)\n${table(['ecosystemId', 'name', 'createdAt'], rows)}`,
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
    confirm: ({ args }) =>
      `Delete ecosystem ${args.ecosystemId}, its users and server tokens? Every token of it stops verifying.`,
    run: async ({ args, client }) => {
      await client.deleteEcosystem(args.ecosystemId ?? '');
      return { json: { deleted: true }, human: `Deleted ecosystem ${args.ecosystemId}.` };
    },
  },
  {
    name: 'server-token create',
    summary: 'Create another server token (to rotate: create, deploy, delete the old one).',
    args: [],
    options: ECOSYSTEM_OPTION,
    credential: 'any',
    run: async ({ client, ecosystemId }) => {
      const eco = ecosystemId();
      const created = await client.createServerToken(eco);
      return {
        json: created,
        human: `Created server token ${created.serverTokenId} for ecosystem ${eco}\n${fields([
          ['serverToken', created.serverToken],
          ['createdAt', created.createdAt],
        ])}\n${SHOWN_ONCE}`,
      };
    },
  },
  {
    name: 'server-token list',
    summary: "List the ecosystem's server token ids (never the tokens), oldest first.",
    args: [],
    options: ECOSYSTEM_OPTION,
    credential: 'any',
    run: async ({ client, ecosystemId }) => {
      const eco = ecosystemId();
      const serverTokens = await client.listServerTokens(eco);
      const rows = serverTokens.map((t) => [t.serverTokenId, t.createdAt]);
      return {
        json: { serverTokens },
        human: `${serverTokens.length} server token(s) of ecosystem ${eco}\n${table(['serverTokenId', 'createdAt'], rows)}`,
      };
    },
  },
  {
    name: 'server-token delete',
    summary: 'Delete a server token; servers still using it get 401 UNAUTHORIZED.',
    args: ['serverTokenId'],
    options: ECOSYSTEM_OPTION,
    credential: 'any',
    confirm: ({ args, ecosystemId }) =>
      `Delete server token ${args.serverTokenId} of ecosystem ${ecosystemId()}? Servers still using it stop working.`,
    run: async ({ args, client, ecosystemId }) => {
      const eco = ecosystemId();
      await client.deleteServerToken(eco, args.serverTokenId ?? '');
      return {
        json: { deleted: true },
        human: `Deleted server token ${args.serverTokenId} of ecosystem ${eco}.`,
      };
    },
  },
];
