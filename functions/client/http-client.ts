// The typed HTTP client of API.md: ecosystems, server tokens, users, the user-token lifecycle and token
// providers with the exchange, over any fetch, against the local server or API Gateway alike.
import { errorFromAnswer, TesseraClientError } from './client-error.ts';
import { type PrecheckOptions, precheckToken } from './token-precheck.ts';
import type {
  CreatedEcosystem,
  EcosystemView,
  ExchangedToken,
  IssuedToken,
  IssueOptions,
  JsonObject,
  Jwks,
  NewServerToken,
  ProviderBody,
  ProviderView,
  RevocationView,
  ServerTokenView,
  TokenView,
  UsageReport,
  UserView,
  VerifiedToken,
} from './types.ts';

export interface TesseraClientOptions {
  /** Where the API lives, e.g. `http://127.0.0.1:3000` or `https://abc.execute-api.eu-west-1.amazonaws.com/prod`. */
  baseUrl: string | URL;
  /** The account token or an ecosystem's server token, sent as a bearer on the routes that need one. */
  credential?: string;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** How long to wait for an answer before failing with NETWORK_ERROR; default 10 s. */
  timeoutMs?: number;
  /**
   * Check a user token locally before verify and refresh (`TOKEN_STRUCTURE_INVALID`, `TOKEN_EXPIRED`
   * without a call). On by default; `false` sends every token as it is.
   */
  precheck?: boolean | PrecheckOptions;
}

interface RequestOptions {
  body?: unknown;
  /** Send the credential as a bearer. */
  auth?: boolean;
  query?: Record<string, string | number | undefined>;
}

const seg = encodeURIComponent;

/**
 * Seconds from a Retry-After header: delta-seconds or an HTTP date.
 *
 * @example
 * parseRetryAfter('7'); // 7
 */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * A client of Tessera's HTTP API. Methods answer the API.md bodies and throw `TesseraClientError` with the
 * API.md code for every refusal.
 *
 * @example
 * const admin = new TesseraClient({ baseUrl: 'http://127.0.0.1:3000', credential: process.env.TESSERA_ACCOUNT_TOKEN });
 * const { ecosystemId, serverToken } = await admin.createEcosystem({ name: 'my-chat-app' });
 * const server = new TesseraClient({ baseUrl: 'http://127.0.0.1:3000', credential: serverToken });
 * await server.putUser(ecosystemId, 'alice', { metadata: { plan: 'pro' } });
 * const { token } = await server.issueToken(ecosystemId, 'alice', { expiryType: 'SlidingTtl', ttl: 900 });
 * const { userId } = await server.verifyToken(token);
 */
export class TesseraClient {
  readonly baseUrl: string;
  readonly #credential: string | undefined;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;
  readonly #precheck: PrecheckOptions | undefined;

  constructor(options: TesseraClientOptions) {
    this.baseUrl = String(options.baseUrl).replace(/\/+$/, '');
    if (!/^https?:\/\/[^/]/.test(this.baseUrl)) {
      throw new TypeError(`baseUrl must be an http(s) URL, got "${this.baseUrl}".`);
    }
    this.#credential = options.credential;
    // Bound: a browser refuses a fetch called on another object ("Illegal invocation").
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#precheck =
      options.precheck === false ? undefined : options.precheck === true ? {} : (options.precheck ?? {});
  }

  // ---- ecosystems and server tokens ----

  /** `POST /v1/ecosystems` (account token): the new ecosystem and its first server token. */
  createEcosystem(options: { name?: string } = {}): Promise<CreatedEcosystem> {
    const body = options.name === undefined ? {} : { name: options.name };
    return this.#call('POST', '/v1/ecosystems', { auth: true, body });
  }

  getEcosystem(ecosystemId: string): Promise<EcosystemView> {
    return this.#call('GET', `/v1/ecosystems/${seg(ecosystemId)}`, { auth: true });
  }

  /** Every ecosystem, oldest first (account token only). */
  async listEcosystems(): Promise<EcosystemView[]> {
    const answer = await this.#call<{ ecosystems: EcosystemView[] }>('GET', '/v1/ecosystems', { auth: true });
    return answer.ecosystems;
  }

  /**
   * The ecosystem's daily usage and monthly active identities; both dates (YYYY-MM-DD, UTC) or neither
   * (the last 30 days).
   */
  getUsage(ecosystemId: string, range: { from?: string; to?: string } = {}): Promise<UsageReport> {
    return this.#call('GET', `/v1/ecosystems/${seg(ecosystemId)}/usage`, {
      auth: true,
      query: { from: range.from, to: range.to },
    });
  }

  /** Every token of the ecosystem stops verifying. */
  async deleteEcosystem(ecosystemId: string): Promise<void> {
    await this.#call('DELETE', `/v1/ecosystems/${seg(ecosystemId)}`, { auth: true });
  }

  /** A new server token; the older ones keep working until deleted. */
  createServerToken(ecosystemId: string): Promise<NewServerToken> {
    return this.#call('POST', `/v1/ecosystems/${seg(ecosystemId)}/server-tokens`, { auth: true, body: {} });
  }

  async listServerTokens(ecosystemId: string): Promise<ServerTokenView[]> {
    const answer = await this.#call<{ serverTokens: ServerTokenView[] }>(
      'GET',
      `/v1/ecosystems/${seg(ecosystemId)}/server-tokens`,
      { auth: true },
    );
    return answer.serverTokens;
  }

  async deleteServerToken(ecosystemId: string, serverTokenId: string): Promise<void> {
    const path = `/v1/ecosystems/${seg(ecosystemId)}/server-tokens/${seg(serverTokenId)}`;
    await this.#call('DELETE', path, { auth: true });
  }

  // ---- users ----

  /** Creates the user or replaces its metadata; `created` tells which (201 or 200). */
  async putUser(
    ecosystemId: string,
    userId: string,
    options: { metadata?: JsonObject } = {},
  ): Promise<UserView & { created: boolean }> {
    const body = options.metadata === undefined ? {} : { metadata: options.metadata };
    const { status, body: user } = await this.#send<UserView>('PUT', userPath(ecosystemId, userId), {
      auth: true,
      body,
    });
    return { ...user, created: status === 201 };
  }

  /** Creates a user with a generated userId. */
  createUser(ecosystemId: string, options: { metadata?: JsonObject } = {}): Promise<UserView> {
    return this.#call('POST', `/v1/ecosystems/${seg(ecosystemId)}/users`, {
      auth: true,
      body: { metadata: options.metadata ?? {} },
    });
  }

  getUser(ecosystemId: string, userId: string): Promise<UserView> {
    return this.#call('GET', userPath(ecosystemId, userId), { auth: true });
  }

  /** Every token of the user stops verifying. */
  async deleteUser(ecosystemId: string, userId: string): Promise<void> {
    await this.#call('DELETE', userPath(ecosystemId, userId), { auth: true });
  }

  // ---- user tokens ----

  /** Issues a user token (account or server token). */
  issueToken(ecosystemId: string, userId: string, options: IssueOptions = {}): Promise<IssuedToken> {
    const { expiryType, ttl, maxTtl, claims, audience, label } = options;
    const body = Object.fromEntries(
      Object.entries({ claims, audience, label }).filter(([, value]) => value !== undefined),
    );
    return this.#call('POST', `${userPath(ecosystemId, userId)}/tokens`, {
      auth: true,
      query: { expiryType, ttl, maxTtl },
      body: Object.keys(body).length === 0 ? undefined : body,
    });
  }

  /**
   * Verifies a user token with the service (a use, for SlidingTtl), for `options.audience` when given
   * (`TOKEN_AUDIENCE_INVALID` otherwise). Throws the token's refusal code, after the local pre-check
   * unless it was turned off.
   */
  verifyToken(token: string, options: { audience?: string } = {}): Promise<VerifiedToken> {
    this.#precheckToken(token, options.audience);
    const { audience } = options;
    const body = audience === undefined ? { token } : { token, audience };
    return this.#call('POST', '/v1/tokens/verify', { body });
  }

  /** Rotates a user token: the answer is its successor; the token given stops verifying. */
  refreshToken(token: string): Promise<IssuedToken> {
    this.#precheckToken(token);
    return this.#call('POST', '/v1/tokens/refresh', { body: { token } });
  }

  /** The holder revokes its own token (log out). An expired or already revoked token is fine too. */
  async revokeToken(token: string): Promise<void> {
    await this.#call('POST', '/v1/tokens/revoke', { body: { token } });
  }

  /** Signs out everywhere else: every other token of the token's user stops verifying; it keeps working. */
  revokeOtherTokens(token: string): Promise<{ revoked: number }> {
    this.#precheckToken(token);
    return this.#call('POST', '/v1/tokens/revoke-others', { body: { token } });
  }

  /** The user's live tokens (ids and deadlines, never the tokens themselves), oldest first. */
  async listUserTokens(ecosystemId: string, userId: string): Promise<TokenView[]> {
    const answer = await this.#call<{ tokens: TokenView[] }>(
      'GET',
      `${userPath(ecosystemId, userId)}/tokens`,
      {
        auth: true,
      },
    );
    return answer.tokens;
  }

  /** Revokes one token of a user by its tokenId (account or server token). */
  async revokeTokenById(ecosystemId: string, userId: string, tokenId: string): Promise<void> {
    await this.#call('DELETE', `${userPath(ecosystemId, userId)}/tokens/${seg(tokenId)}`, { auth: true });
  }

  /** Revokes every token of the user issued so far; later ones work. */
  async revokeUserTokens(ecosystemId: string, userId: string): Promise<void> {
    await this.#call('DELETE', `${userPath(ecosystemId, userId)}/tokens`, { auth: true });
  }

  // ---- ecosystem-wide revocations ----

  /** Revokes every token of the ecosystem issued before `issuedBefore` (an ISO-8601 instant, or a Date). */
  createRevocation(ecosystemId: string, issuedBefore: string | Date): Promise<RevocationView> {
    const instant = issuedBefore instanceof Date ? issuedBefore.toISOString() : issuedBefore;
    const path = `/v1/ecosystems/${seg(ecosystemId)}/revocations`;
    return this.#call('POST', path, { auth: true, body: { issuedBefore: instant } });
  }

  /** The ecosystem's revocations, newest first. */
  async listRevocations(ecosystemId: string): Promise<RevocationView[]> {
    const path = `/v1/ecosystems/${seg(ecosystemId)}/revocations`;
    return (await this.#call<{ revocations: RevocationView[] }>('GET', path, { auth: true })).revocations;
  }

  /** Undoes a revocation; tokens revoked otherwise stay revoked. */
  async deleteRevocation(ecosystemId: string, revocationId: string): Promise<void> {
    const path = `/v1/ecosystems/${seg(ecosystemId)}/revocations/${seg(revocationId)}`;
    await this.#call('DELETE', path, { auth: true });
  }

  // ---- token providers ----

  /** Creates (`created: true`) or replaces a provider; the answer holds its settings, never its secret. */
  async putProvider(
    ecosystemId: string,
    providerId: string,
    provider: ProviderBody,
  ): Promise<ProviderView & { created: boolean }> {
    const path = providerPath(ecosystemId, providerId);
    const { status, body } = await this.#send<ProviderView>('PUT', path, { auth: true, body: provider });
    return { ...body, created: status === 201 };
  }

  getProvider(ecosystemId: string, providerId: string): Promise<ProviderView> {
    return this.#call('GET', providerPath(ecosystemId, providerId), { auth: true });
  }

  /** The ecosystem's providers, in providerId order. */
  async listProviders(ecosystemId: string): Promise<ProviderView[]> {
    const path = `/v1/ecosystems/${seg(ecosystemId)}/providers`;
    return (await this.#call<{ providers: ProviderView[] }>('GET', path, { auth: true })).providers;
  }

  async deleteProvider(ecosystemId: string, providerId: string): Promise<void> {
    await this.#call('DELETE', providerPath(ecosystemId, providerId), { auth: true });
  }

  /**
   * Exchanges a user token for the named provider's token for the same user (a use of the user token, as
   * a verify, with `audience` checked as verify checks it). Throws the user token's refusal code, after the
   * local pre-check unless it was turned off.
   */
  exchangeToken(
    token: string,
    provider: string,
    options: { audience?: string } = {},
  ): Promise<ExchangedToken> {
    this.#precheckToken(token, options.audience);
    const { audience } = options;
    const body = audience === undefined ? { token, provider } : { token, provider, audience };
    return this.#call('POST', '/v1/tokens/exchange', { body });
  }

  /** The public keys of the JWKS. */
  getJwks(): Promise<Jwks> {
    return this.#call('GET', '/.well-known/jwks.json');
  }

  // ---- transport ----

  #precheckToken(token: string, audience?: string): void {
    if (this.#precheck !== undefined) precheckToken(token, { ...this.#precheck, audience });
  }

  async #call<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    return (await this.#send<T>(method, path, options)).body;
  }

  async #send<T>(
    method: string,
    path: string,
    options: RequestOptions,
  ): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.auth && this.#credential !== undefined) headers.authorization = `Bearer ${this.#credential}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    const url = this.baseUrl + path + queryString(options.query);
    let response: Response;
    let text: string;
    try {
      response = await this.#fetch(url, {
        method,
        headers,
        body,
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      text = await response.text();
    } catch (err) {
      const why =
        err instanceof Error && err.name === 'TimeoutError'
          ? `did not answer within ${this.#timeoutMs} ms`
          : 'could not be reached';
      throw new TesseraClientError('NETWORK_ERROR', `Tessera at ${this.baseUrl} ${why}.`, { cause: err });
    }
    const parsed = parseJson(text);
    if (response.ok) {
      if (response.status === 204) return { status: 204, body: undefined as T };
      if (typeof parsed !== 'object' || parsed === null) throw errorFromAnswer(response.status, undefined);
      return { status: response.status, body: parsed as T };
    }
    throw errorFromAnswer(response.status, parsed, parseRetryAfter(response.headers.get('retry-after')));
  }
}

function providerPath(ecosystemId: string, providerId: string): string {
  return `/v1/ecosystems/${seg(ecosystemId)}/providers/${seg(providerId)}`;
}

function userPath(ecosystemId: string, userId: string): string {
  return `/v1/ecosystems/${seg(ecosystemId)}/users/${seg(userId)}`;
}

function queryString(query: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined) params.set(name, String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}
