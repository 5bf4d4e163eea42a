// `tessera user …`: the users of an ecosystem and their metadata.
import { type Command, ECOSYSTEM_OPTION, jsonObjectOption } from './command.ts';
import { fields } from './output.ts';

const METADATA_OPTION = { metadata: 'the user metadata, a JSON object (default {})' };

export const USER_COMMANDS: readonly Command[] = [
  {
    name: 'user put',
    summary: 'Create a user, or replace its metadata.',
    args: ['userId'],
    options: { ...ECOSYSTEM_OPTION, ...METADATA_OPTION },
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
    name: 'user create',
    summary: 'Create a user with an id Tessera generates.',
    args: [],
    options: { ...ECOSYSTEM_OPTION, ...METADATA_OPTION },
    credential: 'any',
    run: async ({ options, client, ecosystemId }) => {
      const metadata = jsonObjectOption('metadata', options.metadata);
      const user = await client.createUser(ecosystemId(), metadata ? { metadata } : {});
      return {
        json: user,
        human: `Created user ${user.userId} in ecosystem ${user.ecosystemId}\n${fields([['metadata', user.metadata]])}`,
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
    confirm: ({ args, ecosystemId }) =>
      `Delete user ${args.userId} of ecosystem ${ecosystemId()}? Every token of it stops verifying.`,
    run: async ({ args, client, ecosystemId }) => {
      const eco = ecosystemId();
      await client.deleteUser(eco, args.userId ?? '');
      return { json: { deleted: true }, human: `Deleted user ${args.userId} from ecosystem ${eco}.` };
    },
  },
];
