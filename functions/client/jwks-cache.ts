// The JWKS as an offline verifier holds it. jose's createLocalJWKSet selects and imports the keys (WebCrypto,
// so this runs in browsers and edge runtimes too); what wraps it is what jose's createRemoteJWKSet lacks and
// this client documents (docs/client.md): the cache's own clock (jose reads Date.now), the answer's
// Cache-Control max-age, keeping the keys held when a refresh fails, and a cool-down after a failed fetch
// too. Only the keys the service itself would verify with are taken (core/token-keys.ts).
import { type CryptoKey, createLocalJWKSet, type JWK } from 'jose';
import { es256KeyFields } from '../core/token-keys.ts';
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
  keys: Map<string, CryptoKey>;
  freshUntil: number;
}

const DEFAULT_MAX_AGE_SECONDS = 300;

/**
 * Keys of a Tessera JWKS by kid, as WebCrypto keys. Concurrent lookups share one fetch; a failed refresh
 * keeps the keys already held (stale-if-error) until the next attempt the cool-down allows.
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
    // Bound: a browser refuses a fetch called on another object ("Illegal invocation").
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.#now = options.now ?? Date.now;
    this.#cooldownMs = (options.cooldownSeconds ?? 30) * 1000;
    this.#maxAgeSeconds = options.maxAgeSeconds;
    this.#timeoutMs = options.timeoutMs ?? 5000;
  }

  /** The key for `kid`, fetching the set when needed; undefined when the service does not publish it. */
  async getKey(kid: string): Promise<CryptoKey | undefined> {
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
      const { list, maxAge } = await this.#download();
      const keys = await importKeys(list);
      const maxAgeSeconds = this.#maxAgeSeconds ?? maxAge ?? DEFAULT_MAX_AGE_SECONDS;
      this.#set = { keys, freshUntil: this.#now() + maxAgeSeconds * 1000 };
      this.#lastError = undefined;
    } catch (err) {
      this.#lastError = err as TesseraClientError;
      throw err;
    }
  }

  async #download(): Promise<{ list: unknown[]; maxAge: number | undefined }> {
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
    return { list, maxAge: maxAge === undefined ? undefined : Number(maxAge) };
  }
}

/**
 * The keys of a JWKS the service would verify with, by kid, imported by jose. Each goes in as its key
 * members only, so jose judges no member the service ignores; a later entry of the same kid replaces an
 * earlier one, as in the service's key ring; a point off the curve fails its import and is left out.
 */
async function importKeys(list: unknown[]): Promise<Map<string, CryptoKey>> {
  const accepted = new Map<string, JWK>();
  for (const entry of list) {
    const fields = es256KeyFields(entry);
    const { kid } = entry as { kid?: unknown };
    if (fields !== undefined && typeof kid === 'string') accepted.set(kid, { ...fields, kid, alg: 'ES256' });
  }
  const select = createLocalJWKSet({ keys: [...accepted.values()] });
  const keys = new Map<string, CryptoKey>();
  for (const kid of accepted.keys()) {
    const key = await select({ alg: 'ES256', kid }).catch(() => undefined);
    if (key !== undefined) keys.set(kid, key);
  }
  return keys;
}
