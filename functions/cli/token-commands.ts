// `tessera token …` and `tessera me`: issue a user token, and what its holder (verify, refresh, revoke,
// /v1/me) or its ecosystem's servers (list, revoke by id, revoke all) do with it.
import type { IssuedToken } from '../client/types.ts';
import { getMe } from './api.ts';
import { type Command, ECOSYSTEM_OPTION, issuedOutput, jsonObjectOption, secondsOption } from './command.ts';
import { fields, table } from './output.ts';

/** The columns of `token list`, each a member of GET .../tokens' entries. */
const TOKEN_COLUMNS = [
  'tokenId',
  'label',
  'expiryType',
  'issuedAt',
  'expiresAt',
  'lastUsedAt',
  'status',
] as const;

/** `--audience chat-api,admin-api`: the audiences, comma-separated (an audience with a comma needs the API). */
const audienceList = (text: string | undefined) => text?.split(',').map((audience) => audience.trim());

export const TOKEN_COMMANDS: readonly Command[] = [
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
      audience: "the token's audiences, comma-separated (signed as aud; verify --audience checks one)",
      label: 'a device or client name, shown by token list (1 to 64 characters)',
    },
    credential: 'any',
    run: async ({ args, options, client, ecosystemId }) => {
      const claims = jsonObjectOption('claims', options.claims);
      const audience = audienceList(options.audience);
      const issued = await client.issueToken(ecosystemId(), args.userId ?? '', {
        expiryType: options['expiry-type'] as IssuedToken['expiryType'] | undefined,
        ttl: secondsOption('ttl', options.ttl),
        maxTtl: secondsOption('max-ttl', options['max-ttl']),
        ...(claims ? { claims } : {}),
        ...(audience ? { audience } : {}),
        ...(options.label === undefined ? {} : { label: options.label }),
      });
      return issuedOutput('Issued', issued);
    },
  },
  {
    name: 'token verify',
    summary: 'Verify a user token (a use, for SlidingTtl); exit 1 when it is refused.',
    args: ['token'],
    options: { audience: 'an audience the token must carry (else TOKEN_AUDIENCE_INVALID)' },
    credential: 'none',
    run: async ({ args, options, client }) => {
      const audience = options.audience;
      const v = await client.verifyToken(args.token ?? '', audience === undefined ? {} : { audience });
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
          ['audience', v.audience],
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
    summary: 'Revoke a user token, as its holder does on log out.',
    args: ['token'],
    options: {},
    credential: 'none',
    run: async ({ args, client }) => {
      await client.revokeToken(args.token ?? '');
      return { json: { revoked: true }, human: 'Revoked.' };
    },
  },
  {
    name: 'token revoke-others',
    summary: "Sign out everywhere else: revoke every other token of the token's user; it keeps working.",
    args: ['token'],
    options: {},
    credential: 'none',
    run: async ({ args, client }) => {
      const { revoked } = await client.revokeOtherTokens(args.token ?? '');
      return { json: { revoked }, human: `Revoked ${revoked} other token(s) of the same user.` };
    },
  },
  {
    name: 'token list',
    summary: "List a user's live tokens (ids and deadlines, never the tokens).",
    args: ['userId'],
    options: ECOSYSTEM_OPTION,
    credential: 'any',
    run: async ({ args, client, ecosystemId }) => {
      const tokens = await client.listUserTokens(ecosystemId(), args.userId ?? '');
      const rows = tokens.map((t) => TOKEN_COLUMNS.map((column) => t[column]));
      return {
        json: { tokens },
        human: `${tokens.length} live token(s) of user ${args.userId}\n${table(TOKEN_COLUMNS, rows)}`,
      };
    },
  },
  {
    name: 'token revoke-id',
    summary: 'Revoke one token of a user by its tokenId (see token list).',
    args: ['userId', 'tokenId'],
    options: ECOSYSTEM_OPTION,
    credential: 'any',
    confirm: ({ args, ecosystemId }) =>
      `Revoke token ${args.tokenId} of user ${args.userId} in ecosystem ${ecosystemId()}?`,
    run: async ({ args, client, ecosystemId }) => {
      await client.revokeTokenById(ecosystemId(), args.userId ?? '', args.tokenId ?? '');
      return { json: { revoked: true }, human: `Revoked token ${args.tokenId} of user ${args.userId}.` };
    },
  },
  {
    name: 'token revoke-all',
    summary: 'Revoke every token of a user issued so far; tokens issued later work.',
    args: ['userId'],
    options: ECOSYSTEM_OPTION,
    credential: 'any',
    confirm: ({ args, ecosystemId }) =>
      `Revoke every token of user ${args.userId} in ecosystem ${ecosystemId()}?`,
    run: async ({ args, client, ecosystemId }) => {
      await client.revokeUserTokens(ecosystemId(), args.userId ?? '');
      return { json: { revoked: true }, human: `Revoked every token of user ${args.userId}.` };
    },
  },
  {
    name: 'me',
    summary: 'Ask GET /v1/me, the route behind the Lambda authorizer, whose token it is.',
    args: ['token'],
    options: {},
    credential: 'none',
    run: async ({ args, client, io }) => {
      const me = await getMe(client.baseUrl, args.token ?? '', io.fetch);
      return {
        json: me,
        human: `Authorized: user ${me.userId} of ecosystem ${me.ecosystemId}\n${fields([
          ['tokenId', me.tokenId],
          ['expiryType', me.expiryType],
          ['claims', me.claims],
        ])}`,
      };
    },
  },
];
