// Ecosystems (tenants) and their server tokens.
import { epochSeconds, isoFromSeconds } from './clock.ts';
import { formatServerToken, hashSecret } from './credentials.ts';
import type { Deps } from './deps.ts';
import { TesseraError } from './errors.ts';
import { characterCount, newId, newSecret, newTimeOrderedId } from './ids.ts';
import type { EcosystemRecord, ServerTokenRecord } from './ports.ts';

/** The longest ecosystem name, in characters (code points, as API.md counts lengths). */
export const MAX_NAME_LENGTH = 200;

export interface EcosystemView {
  ecosystemId: string;
  name: string | null;
  createdAt: string | null;
}

export interface ServerTokenView {
  serverTokenId: string;
  createdAt: string | null;
}

export interface NewServerToken extends ServerTokenView {
  /** Shown once; only its hash is kept. */
  serverToken: string;
}

const compareCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function ecosystemView(record: EcosystemRecord): EcosystemView {
  return { ecosystemId: record.ecosystemId, name: record.name, createdAt: isoFromSeconds(record.createdAt) };
}

/** A new server token at `nowMs`; its id sorts by creation time, so listings are oldest first. */
function mintServerToken(
  ecosystemId: string,
  nowMs: number,
): { record: ServerTokenRecord; answer: NewServerToken } {
  const serverTokenId = newTimeOrderedId(nowMs);
  const secret = newSecret();
  const now = epochSeconds(nowMs);
  return {
    record: { ecosystemId, serverTokenId, secretHash: hashSecret(secret), createdAt: now },
    answer: {
      serverTokenId,
      serverToken: formatServerToken(ecosystemId, serverTokenId, secret),
      createdAt: isoFromSeconds(now),
    },
  };
}

export async function createEcosystem(
  deps: Pick<Deps, 'directory' | 'clock'>,
  input: { name?: unknown },
): Promise<EcosystemView & NewServerToken> {
  const name = input.name ?? null;
  if (name !== null && (typeof name !== 'string' || name === '' || characterCount(name) > MAX_NAME_LENGTH)) {
    throw new TesseraError('BODY_INVALID', `name must be a string of 1 to ${MAX_NAME_LENGTH} characters.`);
  }
  const nowMs = deps.clock.now();
  const ecosystem: EcosystemRecord = { ecosystemId: newId(8), name, createdAt: epochSeconds(nowMs) };
  const { record, answer } = mintServerToken(ecosystem.ecosystemId, nowMs);
  if (!(await deps.directory.createEcosystem(ecosystem, record))) {
    throw new Error('ecosystem id collision'); // 64 random bits: a clash means a broken random source
  }
  return { ...ecosystemView(ecosystem), ...answer };
}

async function requireEcosystem(
  deps: Pick<Deps, 'directory'>,
  ecosystemId: string,
): Promise<EcosystemRecord> {
  const record = await deps.directory.getEcosystem(ecosystemId);
  if (record === undefined) throw new TesseraError('ECOSYSTEM_NOT_FOUND', `No ecosystem "${ecosystemId}".`);
  return record;
}

/**
 * Every ecosystem of the account, oldest first (account token only).
 *
 * @example
 * const { ecosystems } = await listEcosystems(deps);
 */
export async function listEcosystems(
  deps: Pick<Deps, 'directory'>,
): Promise<{ ecosystems: EcosystemView[] }> {
  const records = await deps.directory.listEcosystems();
  records.sort((a, b) => a.createdAt - b.createdAt || compareCodeUnits(a.ecosystemId, b.ecosystemId));
  return { ecosystems: records.map(ecosystemView) };
}

export async function getEcosystem(
  deps: Pick<Deps, 'directory'>,
  ecosystemId: string,
): Promise<EcosystemView> {
  return ecosystemView(await requireEcosystem(deps, ecosystemId));
}

/** Deletes the ecosystem, its users and server tokens; every token of it then answers TOKEN_REVOKED. */
export async function deleteEcosystem(deps: Pick<Deps, 'directory'>, ecosystemId: string): Promise<void> {
  if (!(await deps.directory.deleteEcosystem(ecosystemId))) {
    throw new TesseraError('ECOSYSTEM_NOT_FOUND', `No ecosystem "${ecosystemId}".`);
  }
}

/** A new server token for the ecosystem; the older ones keep working until deleted. */
export async function createServerToken(
  deps: Pick<Deps, 'directory' | 'serverTokens' | 'clock'>,
  ecosystemId: string,
): Promise<NewServerToken> {
  await requireEcosystem(deps, ecosystemId);
  const { record, answer } = mintServerToken(ecosystemId, deps.clock.now());
  await deps.serverTokens.putServerToken(record);
  return answer;
}

export async function listServerTokens(
  deps: Pick<Deps, 'directory' | 'serverTokens'>,
  ecosystemId: string,
): Promise<{ serverTokens: ServerTokenView[] }> {
  await requireEcosystem(deps, ecosystemId);
  const records = await deps.serverTokens.listServerTokens(ecosystemId);
  return {
    serverTokens: records
      .sort((a, b) => a.createdAt - b.createdAt || compareCodeUnits(a.serverTokenId, b.serverTokenId))
      .map((r) => ({ serverTokenId: r.serverTokenId, createdAt: isoFromSeconds(r.createdAt) })),
  };
}

export async function deleteServerToken(
  deps: Pick<Deps, 'directory' | 'serverTokens'>,
  ecosystemId: string,
  serverTokenId: string,
): Promise<void> {
  await requireEcosystem(deps, ecosystemId);
  if (!(await deps.serverTokens.deleteServerToken(ecosystemId, serverTokenId))) {
    throw new TesseraError('SERVER_TOKEN_NOT_FOUND', `No server token "${serverTokenId}" in this ecosystem.`);
  }
}

export { requireEcosystem };
