// The JWKS as an offline verifier holds it: keys by kid, fetched once, refetched when a token names an
// unknown kid or the set grows older than its max-age, never more often than a cool-down allows.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { errorFromAnswer, TesseraClientError } from './client-error.ts';

export interface JwksCacheOptions {
  /** e.g. `http://127.0.0.1:3000/.well-known/jwks.json`. */
  jwksUrl: string | URL;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Milliseconds since the epoch; defaults to Date.now. */
  now?: () => number;
  /** The least time between two fetches, so unknown kids cannot make it hammer the service; default 30 s. */
  cooldownSeconds?: number;
  /** How long a fetched set is used before it is fetched again; default the answer's max-age, else 300 s. */
  maxAgeSeconds?: number;
  /** How long to wait for the JWKS; default 5 s. */
  timeoutMs?: number;
}

/** A fetched key set and when it stops being fresh. */
interface KeySet {
  keys: Map<string, KeyObject>;
  freshUntil: number;
}

const DEFAULT_MAX_AGE_SECONDS = 300;

/**
 * Keys of a Tessera JWKS by kid. Concurrent lookups share one fetch; a failed refresh keeps the keys
 * already held (stale-if-error) until the next attempt the cool-down allows.
 *
 * @example
 * const jwks = new JwksCache({ jwksUrl: 'http://127.0.0.1:3000/.well-known/jwks.json' });
 * const key = await jwks.getKey(kid); // undefined: not in the set, even after a refetch
 */
export class JwksCache {
  readonly jwksUrl: string;
  readonly #fetch: typeof fetch;
  readonly #now: () => number;
  readonly #cooldownMs: number;
  readonly #maxAgeSeconds: number | undefined;
  readonly #timeoutMs: number;
  #set: KeySet | undefined;
  #lastAttemptAt = Number.NEGATIVE_INFINITY;
  #lastError: TesseraClientError | undefined;
  #inflight: Promise<void> | undefined;

  constructor(options: JwksCacheOptions) {
    this.jwksUrl = String(options.jwksUrl);
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#now = options.now ?? Date.now;
    this.#cooldownMs = (options.cooldownSeconds ?? 30) * 1000;
    this.#maxAgeSeconds = options.maxAgeSeconds;
    this.#timeoutMs = options.timeoutMs ?? 5000;
  }

  /** The key for `kid`, fetching the set when needed; undefined when the service does not publish it. */
  async getKey(kid: string): Promise<KeyObject | undefined> {
    const now = this.#now();
    const coolingDown = now - this.#lastAttemptAt < this.#cooldownMs;
    const set = this.#set;
    if (set === undefined) {
      if (coolingDown && this.#lastError !== undefined) throw this.#lastError;
      await this.#refresh();
    } else if (now >= set.freshUntil && !coolingDown) {
      await this.#refresh().catch(() => undefined); // stale-if-error: the keys held still count
    } else if (!set.keys.has(kid) && !coolingDown) {
      await this.#refresh();
    }
    return this.#set?.keys.get(kid);
  }

  /** One fetch for every caller waiting at the same time. */
  #refresh(): Promise<void> {
    this.#inflight ??= this.#load().finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  async #load(): Promise<void> {
    this.#lastAttemptAt = this.#now();
    try {
      const { keys, maxAge } = await this.#download();
      const maxAgeSeconds = this.#maxAgeSeconds ?? maxAge ?? DEFAULT_MAX_AGE_SECONDS;
      this.#set = { keys, freshUntil: this.#now() + maxAgeSeconds * 1000 };
      this.#lastError = undefined;
    } catch (err) {
      this.#lastError = err as TesseraClientError;
      throw err;
    }
  }

  async #download(): Promise<{ keys: Map<string, KeyObject>; maxAge: number | undefined }> {
    let response: Response;
    let body: unknown;
    try {
      response = await this.#fetch(this.jwksUrl, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      body = await response.json().catch(() => undefined);
    } catch (err) {
      throw new TesseraClientError('NETWORK_ERROR', `The JWKS at ${this.jwksUrl} could not be fetched.`, {
        cause: err,
      });
    }
    if (!response.ok) throw errorFromAnswer(response.status, body);
    const list = typeof body === 'object' && body !== null ? (body as { keys?: unknown }).keys : undefined;
    if (!Array.isArray(list)) {
      throw new TesseraClientError('RESPONSE_INVALID', `The JWKS at ${this.jwksUrl} has no "keys" array.`, {
        status: response.status,
      });
    }
    const maxAge = /(?:^|,)\s*max-age=(\d+)/i.exec(response.headers.get('cache-control') ?? '')?.[1];
    return { keys: keyMap(list), maxAge: maxAge === undefined ? undefined : Number(maxAge) };
  }
}

/** The ES256 signing keys of a JWKS by kid; any other key is left out. */
function keyMap(list: unknown[]): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  for (const entry of list) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { kty, crv, x, y, kid, alg, use } = entry as Record<string, unknown>;
    if (kty !== 'EC' || crv !== 'P-256' || typeof x !== 'string' || typeof y !== 'string') continue;
    if (
      typeof kid !== 'string' ||
      (alg !== undefined && alg !== 'ES256') ||
      (use !== undefined && use !== 'sig')
    )
      continue;
    try {
      keys.set(kid, createPublicKey({ key: { kty, crv, x, y }, format: 'jwk' }));
    } catch {
      // not a point on the curve: a key nobody can have signed with
    }
  }
  return keys;
}
