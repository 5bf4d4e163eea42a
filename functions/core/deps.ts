// What the use-cases run on: the ports, a clock, the settings and the usage recorder, passed in rather than
// reached for. Each use-case names the few it uses (`Pick<Deps, 'tokens' | 'clock'>`), and a function's
// dependencies hold only those of its use-cases: the keys function holds no state port at all (BaseDeps).
import type { Clock } from './clock.ts';
import { DEFAULT_ECOSYSTEM_CACHE_SECONDS, EcosystemStateCache } from './ecosystem-state.ts';
import type {
  Directory,
  Providers,
  ServerTokens,
  Signer,
  StorePorts,
  TokenState,
  UsageCounters,
} from './ports.ts';
import { NO_SECRET_BOX, type SecretBox } from './secret-box.ts';
import { KeyRing } from './token-codec.ts';
import { UsageRecorder } from './usage-recorder.ts';

/** Settings the core needs; `runtime/config.ts` reads them from the environment once. */
export interface CoreConfig {
  /** The `iss` of every token; tokens of another issuer are refused. */
  issuer: string;
  /** How far in the future a token's `iat` may lie (clocks of issuer and verifier differ). */
  clockSkewSeconds: number;
  /** The largest `ttl` and `maxTtl` a caller may ask for. */
  maxTtlSeconds: number;
  /** How long a refresh may be retried with the token it replaced and get the same successor. */
  refreshGraceSeconds: number;
  /** SHA-256 (hex) of the account token. */
  accountTokenHash: string;
  /**
   * The audience the Lambda authorizer requires of every token (TESSERA_AUTHORIZER_AUDIENCE); absent, it
   * checks none. Verify's own `audience` member is the caller's, per request.
   */
  authorizerAudience?: string | undefined;
  /**
   * How long a container may serve an ecosystem's state without reading it again (0: never): the lag of an
   * ecosystem deletion, and of every revocation decided at the ecosystem level (core/ecosystem-state.ts).
   */
  ecosystemCacheSeconds: number;
}

export const DEFAULT_CONFIG = {
  issuer: 'tessera',
  clockSkewSeconds: 30,
  maxTtlSeconds: 31_536_000,
  refreshGraceSeconds: 10,
  ecosystemCacheSeconds: DEFAULT_ECOSYSTEM_CACHE_SECONDS,
} as const;

export interface Deps {
  /** Token records: issue, verify's read and sliding touch, rotation, revocation. */
  tokens: TokenState;
  /** Ecosystems and their users. */
  directory: Directory;
  /** Server tokens, for authenticating and for the admin routes that manage them. */
  serverTokens: ServerTokens;
  /** The usage counters the report reads (the recorder writes them). */
  usageCounters: UsageCounters;
  /** Where issue, verify, refresh and revoke count usage; one per set of dependencies, so one batch. */
  usage: UsageRecorder;
  /** The ecosystem-level state token checks consult, cached per set of dependencies (one per container). */
  ecosystemState: EcosystemStateCache;
  /** The token providers of each ecosystem (the exchange, and the admin routes that configure them). */
  providers: Providers;
  /** Where provider secrets are sealed (admin) and opened (the exchange only). */
  secretBox: SecretBox;
  signer: Signer;
  keys: KeyRing;
  clock: Clock;
  config: CoreConfig;
  /**
   * The origins browsers may call the front doors from (`*` for any; empty for none), read from
   * TESSERA_CORS_ALLOW_ORIGINS; functions/http/cors.ts's default when absent. Not a core setting: only the
   * HTTP layer reads it.
   */
  corsAllowOrigins?: readonly string[];
}

/** What every function's dependencies hold, whatever its use-cases: the signer and keys, clock, settings. */
export type BaseDeps = Pick<Deps, 'signer' | 'keys' | 'clock' | 'config' | 'corsAllowOrigins'>;

/** The parts a function's dependencies are assembled from; the runtime and the test helpers pick them. */
export interface DepsParts {
  signer: Signer;
  clock: Clock;
  config: CoreConfig;
  corsAllowOrigins?: readonly string[] | undefined;
  /** Where provider secrets are kept; without one, sealing and opening refuse (NO_SECRET_BOX). */
  secretBox?: SecretBox | undefined;
}

/**
 * The dependencies of a function with no state port (the keys function): the signer and its key ring.
 *
 * @example
 * const deps = baseDeps({ signer, clock: systemClock, config });
 */
export function baseDeps(parts: DepsParts): BaseDeps {
  const { signer, clock, config, corsAllowOrigins } = parts;
  return { signer, keys: new KeyRing(signer), clock, config, corsAllowOrigins };
}

/**
 * The dependencies over one store's ports, with the usage recorder that writes its counters and the cache of
 * ecosystem states read from its directory: the one place Deps is put together (runtime/dependencies.ts
 * builds through it, and so do the test helpers).
 *
 * @example
 * const deps = assembleDeps({ store: await EmbeddedStore.open({ clock }), signer, clock, config });
 */
export function assembleDeps(parts: DepsParts & { store: StorePorts }): Deps {
  const { tokens, directory, serverTokens, usageCounters, providers } = parts.store;
  const secretBox = parts.secretBox ?? NO_SECRET_BOX;
  const usage = new UsageRecorder({ counters: usageCounters, clock: parts.clock });
  const ecosystemState = new EcosystemStateCache({
    read: (ecosystemId) => directory.getEcosystemState(ecosystemId),
    clock: parts.clock,
    maxAgeSeconds: parts.config.ecosystemCacheSeconds,
  });
  return {
    ...baseDeps(parts),
    ...{ tokens, directory, serverTokens, usageCounters, usage, ecosystemState, providers, secretBox },
  };
}
