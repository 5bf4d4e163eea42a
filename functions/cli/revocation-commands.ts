// `tessera revocations …`: an ecosystem's revocations by issue time. Creating one revokes every token of
// the ecosystem issued before the instant (within TESSERA_ECOSYSTEM_CACHE_SECONDS everywhere); deleting it
// undoes that, but not the revocations made otherwise.
import type { RevocationView } from '../client/types.ts';
import { type Command, ECOSYSTEM_OPTION, UsageError } from './command.ts';
import { fields, table } from './output.ts';

/** The `--issued-before` instant: an ISO-8601 instant, or `now` for this very second. */
function issuedBeforeOption(text: string | undefined): string {
  if (text === undefined) {
    throw new UsageError('Give --issued-before: an ISO-8601 instant such as 2027-01-15T08:00:00Z, or now.');
  }
  return text === 'now' ? new Date().toISOString() : text;
}

const shown = (r: RevocationView) =>
  fields([
    ['issuedBefore', r.issuedBefore],
    ['createdAt', r.createdAt],
  ]);

export const REVOCATION_COMMANDS: readonly Command[] = [
  {
    name: 'revocations create',
    summary: 'Revoke every token of the ecosystem issued before an instant (undo: revocations delete).',
    args: [],
    options: {
      ...ECOSYSTEM_OPTION,
      'issued-before': 'an ISO-8601 instant (2027-01-15T08:00:00Z), or now; at most now + the clock skew',
    },
    credential: 'any',
    confirm: ({ options, ecosystemId }) =>
      `Revoke every token of ecosystem ${ecosystemId()} issued before ${options['issued-before'] ?? '?'}?`,
    run: async ({ options, client, ecosystemId }) => {
      const made = await client.createRevocation(ecosystemId(), issuedBeforeOption(options['issued-before']));
      return { json: made, human: `Created revocation ${made.revocationId}\n${shown(made)}` };
    },
  },
  {
    name: 'revocations list',
    summary: "List the ecosystem's revocations, newest first (the latest issuedBefore is in effect).",
    args: [],
    options: ECOSYSTEM_OPTION,
    credential: 'any',
    run: async ({ client, ecosystemId }) => {
      const eco = ecosystemId();
      const revocations = await client.listRevocations(eco);
      const rows = revocations.map((r) => [r.revocationId, r.issuedBefore, r.createdAt]);
      return {
        json: { revocations },
        human: `${revocations.length} revocation(s) of ecosystem ${eco}\n${table(['revocationId', 'issuedBefore', 'createdAt'], rows)}`,
      };
    },
  },
  {
    name: 'revocations delete',
    summary: 'Undo a revocation; tokens revoked one by one, by user or by reuse stay revoked.',
    args: ['revocationId'],
    options: ECOSYSTEM_OPTION,
    credential: 'any',
    confirm: ({ args, ecosystemId }) =>
      `Undo revocation ${args.revocationId} of ecosystem ${ecosystemId()}? The tokens it revoked verify again.`,
    run: async ({ args, client, ecosystemId }) => {
      await client.deleteRevocation(ecosystemId(), args.revocationId ?? '');
      return { json: { deleted: true }, human: `Undid revocation ${args.revocationId}.` };
    },
  },
];
