// The embedded store's ecosystem-wide revocations (the Directory's part of core/revocations.ts), over the
// shared tables (embedded-tables.ts). Local mode holds few, so the latest issuedBefore is worked out from
// them on each read; the DynamoDB store keeps it on the ecosystem's item instead (dynamodb-revocations.ts).
import type { EcosystemState, RevocationRecord, RevocationWrite } from '../core/ports.ts';
import { copy, type EmbeddedTables, pair } from './embedded-tables.ts';

const ofEcosystem = (t: EmbeddedTables, ecosystemId: string) =>
  [...t.revocations.values()].filter((r) => r.ecosystemId === ecosystemId);

/** The ecosystem with the latest issuedBefore of its revocations (null when it has none). */
export function ecosystemState(t: EmbeddedTables, ecosystemId: string): EcosystemState {
  const issued = ofEcosystem(t, ecosystemId).map((r) => r.issuedBefore);
  return {
    ecosystem: copy(t.ecosystems.get(ecosystemId)),
    revokedBefore: issued.length === 0 ? null : Math.max(...issued),
  };
}

export function listRevocations(t: EmbeddedTables, ecosystemId: string): RevocationRecord[] {
  return ofEcosystem(t, ecosystemId).map((r) => ({ ...r }));
}

export async function createRevocation(
  t: EmbeddedTables,
  record: RevocationRecord,
  limit: number,
): Promise<RevocationWrite> {
  if (!t.ecosystems.has(record.ecosystemId)) return 'no-ecosystem';
  if (ofEcosystem(t, record.ecosystemId).length >= limit) return 'limit-reached';
  const key = pair(record.ecosystemId, record.revocationId);
  if (t.revocations.has(key)) throw new Error(`revocation id collision: ${record.revocationId}`);
  t.revocations.set(key, { ...record });
  t.changed('revocation', undefined, record);
  await t.commit();
  return 'created';
}

export async function deleteRevocation(
  t: EmbeddedTables,
  ecosystemId: string,
  revocationId: string,
): Promise<boolean> {
  const key = pair(ecosystemId, revocationId);
  const record = t.revocations.get(key);
  if (record === undefined) return false;
  t.revocations.delete(key);
  t.changed('revocation', record, undefined);
  await t.commit();
  return true;
}
