// What a token check needs to know about its ecosystem, and the per-container cache it is read through: the
// only state on the verify path that a whole ecosystem shares. Reading it on every verify would send every
// verify of every user of an ecosystem to one item (one item never spreads beyond one partition), so each
// container reads it at most once per ecosystem per staleness bound, and the bound is the revocation lag of
// everything decided at the ecosystem level (docs/API.md, "Revocation lag"). Per-token and per-user state
// is never cached: verify reads it on every call.
//
//   read started at t ─────────── served until t + bound ─┤ the next check reads again
//   deleted at d (t < d): a check before t + bound may still pass; from t + bound on, none does
import { type Clock, isoFromSeconds } from './clock.ts';
import { TesseraError } from './errors.ts';
import type { EcosystemState } from './ports.ts';

/**
 * The ecosystem-level state a token check consults (ports.ts): that the ecosystem exists, and the latest
 * `issuedBefore` of its ecosystem-wide revocations (core/revocations.ts), both bounded by this staleness.
 */
export type { EcosystemState } from './ports.ts';

/** Reads an ecosystem's state from the store, strongly consistent. */
export type EcosystemStateReader = (ecosystemId: string) => Promise<EcosystemState>;

/** The default staleness bound, in seconds (TESSERA_ECOSYSTEM_CACHE_SECONDS). */
export const DEFAULT_ECOSYSTEM_CACHE_SECONDS = 1;

/**
 * Throws TOKEN_REVOKED unless the ecosystem-level state lets a token issued at `issuedAt` (epoch seconds)
 * through: the ecosystem exists, and the token was not issued before its latest revocation's
 * `issuedBefore`. "Before" is strict: a token issued at that very second is not revoked.
 *
 * @example
 * assertEcosystemAdmits(await deps.ecosystemState.get(ecosystemId), record.issuedAt);
 */
export function assertEcosystemAdmits(state: EcosystemState, issuedAt: number): void {
  if (state.ecosystem === undefined) {
    throw new TesseraError('TOKEN_REVOKED', 'The token was revoked: its ecosystem was deleted.');
  }
  if (state.revokedBefore !== null && issuedAt < state.revokedBefore) {
    throw new TesseraError(
      'TOKEN_REVOKED',
      `The token was revoked: its ecosystem revoked every token issued before ${isoFromSeconds(state.revokedBefore)}.`,
    );
  }
}

export interface EcosystemStateCacheProps {
  read: EcosystemStateReader;
  clock: Clock;
  /** How long one read may be served, in seconds: the staleness bound; 0 reads on every check. */
  maxAgeSeconds: number;
  /** How many ecosystems it holds before dropping the oldest entry (bounded memory; default 10,000). */
  maxEntries?: number;
}

interface Entry {
  /** Clock milliseconds when the read was sent: what it answers is at least that recent. */
  sentAt: number;
  state: Promise<EcosystemState>;
}

/**
 * Ecosystem states, each served for at most `maxAgeSeconds` after the read that fetched it was sent. Built
 * once per set of dependencies (one per container), never at module level. Concurrent checks of one
 * ecosystem share one read, so a burst at a cold start reads it once. A failed read is not kept.
 *
 * "Missing" answers are cached too, with the same bound: only tokens of a deleted ecosystem meet one (a
 * token is issued only for an ecosystem that exists, and ids are never reused, so a missing ecosystem
 * never comes back), those tokens are refused either way, and without the cache a flood of them would send
 * every check to that one key again.
 *
 * @example
 * const cache = new EcosystemStateCache({ read, clock, maxAgeSeconds: 1 });
 * const { ecosystem } = await cache.get('eco1');
 */
export class EcosystemStateCache {
  readonly #read: EcosystemStateReader;
  readonly #clock: Clock;
  readonly #maxAgeMs: number;
  readonly #maxEntries: number;
  readonly #entries = new Map<string, Entry>();

  constructor(props: EcosystemStateCacheProps) {
    if (!(Number.isFinite(props.maxAgeSeconds) && props.maxAgeSeconds >= 0)) {
      throw new Error(
        `The ecosystem cache bound must be a number of seconds, 0 or more: ${props.maxAgeSeconds}`,
      );
    }
    this.#read = props.read;
    this.#clock = props.clock;
    this.#maxAgeMs = props.maxAgeSeconds * 1000;
    this.#maxEntries = props.maxEntries ?? 10_000;
  }

  /** The staleness bound, in seconds. */
  get maxAgeSeconds(): number {
    return this.#maxAgeMs / 1000;
  }

  /** The ecosystem's state, read at most `maxAgeSeconds` ago. */
  get(ecosystemId: string): Promise<EcosystemState> {
    if (this.#maxAgeMs === 0) return this.#read(ecosystemId);
    const now = this.#clock.now();
    const entry = this.#entries.get(ecosystemId);
    if (entry !== undefined && now - entry.sentAt < this.#maxAgeMs) return entry.state;
    if (entry !== undefined) this.#entries.delete(ecosystemId);
    else if (this.#entries.size >= this.#maxEntries) this.#dropOldest();
    const fresh: Entry = { sentAt: now, state: this.#read(ecosystemId) };
    this.#entries.set(ecosystemId, fresh);
    fresh.state.catch(() => {
      if (this.#entries.get(ecosystemId) === fresh) this.#entries.delete(ecosystemId);
    });
    return fresh.state;
  }

  /**
   * Drops what this cache holds of an ecosystem, so its next check reads the store: a container that
   * changed the ecosystem-level state (a revocation made or undone) sees its own change at once. Other
   * containers still see it within the bound.
   */
  forget(ecosystemId: string): void {
    this.#entries.delete(ecosystemId);
  }

  /** The first entry in insertion order: refreshed entries move to the end, so this is the oldest read. */
  #dropOldest(): void {
    const oldest = this.#entries.keys().next();
    if (oldest.done !== true) this.#entries.delete(oldest.value);
  }
}
