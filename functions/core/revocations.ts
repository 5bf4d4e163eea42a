// Ecosystem-wide revocation by issue time: every token of an ecosystem issued before an instant answers
// TOKEN_REVOKED, until the revocation is undone. The records live with the ecosystem, and the latest
// `issuedBefore` of them beside the ecosystem itself, which token checks read through the per-container cache
// (core/ecosystem-state.ts): a revocation shows everywhere within TESSERA_ECOSYSTEM_CACHE_SECONDS.
//
//   issuedBefore = 12:00:00
//   token iat 11:59:59 ── revoked          token iat 12:00:00 ── not revoked ("before" is strict)
import { epochSeconds, isoFromSeconds } from './clock.ts';
import type { Deps } from './deps.ts';
import { requireEcosystem } from './ecosystems.ts';
import { TesseraError } from './errors.ts';
import { isValidId, newTimeOrderedId } from './ids.ts';
import type { RevocationRecord } from './ports.ts';

/**
 * The most revocations an ecosystem keeps at once. Verify reads only the latest `issuedBefore` (one number
 * on the ecosystem's item), so the count costs it nothing; the bound keeps a listing and an undo to one
 * small read. Past it, creating is refused (409 REVOCATION_LIMIT_REACHED) rather than any revocation
 * dropped: an older one may still matter once a newer one is undone.
 */
export const MAX_REVOCATIONS = 100;

/** A revocation as the API answers it. */
export interface RevocationView {
  revocationId: string;
  /** The instant applied, whole seconds (ISO-8601 UTC): tokens issued earlier are revoked. */
  issuedBefore: string;
  createdAt: string;
}

type RevocationDeps = Pick<Deps, 'directory' | 'clock' | 'config' | 'ecosystemState'>;

// YYYY-MM-DDTHH:MM:SS, an optional fraction, then Z or an offset: the ISO-8601 instants of API.md.
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

function bodyInvalid(why: string): TesseraError {
  return new TesseraError('BODY_INVALID', `issuedBefore ${why}.`);
}

/** Epoch milliseconds of an ISO-8601 instant, or undefined when it is not one (2026-02-30 is not). */
function instantMs(text: string): number | undefined {
  const match = ISO_INSTANT.exec(text);
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, sec, fraction = '', zone = 'Z'] = match;
  const fields = [y, mo, d, h, mi, sec].map(Number) as [number, number, number, number, number, number];
  const [year, month, day, hour, minute, second] = fields;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // not Date.UTC: it reads years 0 to 99 as 1900 to 1999
  date.setUTCHours(hour, minute, second, 0);
  const same =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second;
  if (!same) return undefined;
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const [oh, om] = zone.slice(1).split(':').map(Number) as [number, number];
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  return date.getTime() + Number(`0.${fraction || '0'}`) * 1000 - offsetMinutes * 60_000;
}

/**
 * The `issuedBefore` of a request, in epoch seconds: an ISO-8601 instant no later than now plus the clock
 * skew. Tokens carry their issue time in whole seconds, so a fraction is rounded up to the next second: a
 * token issued within that second counts as issued before it (revoking a moment more, never less).
 *
 * @example
 * parseIssuedBefore('2027-01-15T08:00:00.250Z', Date.now(), 30); // 1800000001 (rounded up)
 */
export function parseIssuedBefore(value: unknown, nowMs: number, skewSeconds: number): number {
  if (value === undefined) throw bodyInvalid('is required: an ISO-8601 instant such as 2027-01-15T08:00:00Z');
  const ms = typeof value === 'string' ? instantMs(value) : undefined;
  if (ms === undefined) {
    throw bodyInvalid(
      'must be an ISO-8601 instant such as 2027-01-15T08:00:00Z (a date, a time, Z or an offset)',
    );
  }
  if (ms > nowMs + skewSeconds * 1000) {
    throw bodyInvalid(`lies in the future beyond the allowed clock skew (${skewSeconds} s)`);
  }
  return Math.ceil(ms / 1000);
}

function revocationView(record: RevocationRecord): RevocationView {
  return {
    revocationId: record.revocationId,
    issuedBefore: isoFromSeconds(record.issuedBefore) ?? '',
    createdAt: isoFromSeconds(record.createdAt) ?? '',
  };
}

/**
 * Revokes every token of the ecosystem issued before `issuedBefore`: on verify, refresh, revoke-others and
 * the authorizer, within the ecosystem cache's bound (at once in this container).
 *
 * @example
 * const { revocationId } = await createRevocation(deps, 'eco1', { issuedBefore: '2027-01-15T08:00:00Z' });
 */
export async function createRevocation(
  deps: RevocationDeps,
  ecosystemId: string,
  input: { issuedBefore?: unknown },
): Promise<RevocationView> {
  const nowMs = deps.clock.now();
  const issuedBefore = parseIssuedBefore(input.issuedBefore, nowMs, deps.config.clockSkewSeconds);
  const record: RevocationRecord = {
    ecosystemId,
    revocationId: newTimeOrderedId(nowMs), // sorts by creation, so a listing's order is stable
    issuedBefore,
    createdAt: epochSeconds(nowMs),
  };
  const written = await deps.directory.createRevocation(record, MAX_REVOCATIONS);
  if (written === 'no-ecosystem') {
    throw new TesseraError('ECOSYSTEM_NOT_FOUND', `No ecosystem "${ecosystemId}".`);
  }
  if (written === 'limit-reached') {
    throw new TesseraError(
      'REVOCATION_LIMIT_REACHED',
      `This ecosystem already holds ${MAX_REVOCATIONS} revocations; delete those no longer needed (only the latest issuedBefore takes effect) and try again.`,
    );
  }
  deps.ecosystemState.forget(ecosystemId);
  return revocationView(record);
}

/**
 * The ecosystem's revocations, newest first.
 *
 * @example
 * const { revocations } = await listRevocations(deps, 'eco1');
 */
export async function listRevocations(
  deps: Pick<Deps, 'directory'>,
  ecosystemId: string,
): Promise<{ revocations: RevocationView[] }> {
  await requireEcosystem(deps, ecosystemId);
  const records = await deps.directory.listRevocations(ecosystemId);
  records.sort((a, b) => b.createdAt - a.createdAt || (a.revocationId < b.revocationId ? 1 : -1));
  return { revocations: records.map(revocationView) };
}

/**
 * Undoes a revocation: the tokens it alone revoked verify again (within the cache's bound); tokens revoked
 * one by one, by user, by reuse or by another revocation stay revoked.
 *
 * @example
 * await deleteRevocation(deps, 'eco1', revocationId); // or REVOCATION_NOT_FOUND
 */
export async function deleteRevocation(
  deps: Pick<Deps, 'directory' | 'ecosystemState'>,
  ecosystemId: string,
  revocationId: string,
): Promise<void> {
  const deleted =
    isValidId(revocationId) && (await deps.directory.deleteRevocation(ecosystemId, revocationId));
  if (!deleted) {
    await requireEcosystem(deps, ecosystemId);
    // The id is echoed only when it is one: a path segment may hold anything, a pasted token included.
    const named = isValidId(revocationId) ? ` "${revocationId}"` : '';
    throw new TesseraError('REVOCATION_NOT_FOUND', `No revocation${named} in this ecosystem.`);
  }
  deps.ecosystemState.forget(ecosystemId);
}
