// What every use-case runs on: the two ports, a clock and the settings, passed in rather than reached for.
import type { Clock } from './clock.ts';
import type { Signer, Store } from './ports.ts';
import type { KeyRing } from './token-codec.ts';
import type { UsageRecorder } from './usage-recorder.ts';

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
}

export const DEFAULT_CONFIG = {
  issuer: 'tessera',
  clockSkewSeconds: 30,
  maxTtlSeconds: 31_536_000,
  refreshGraceSeconds: 10,
} as const;

export interface Deps {
  store: Store;
  signer: Signer;
  keys: KeyRing;
  clock: Clock;
  config: CoreConfig;
  /** Where usage is counted; one recorder per store is made when absent (core/usage-recorder.ts). */
  usage?: UsageRecorder;
  /**
   * The origins browsers may call the front doors from (`*` for any; empty for none), read from
   * TESSERA_CORS_ALLOW_ORIGINS; functions/http/cors.ts's default when absent. Not a core setting: only the
   * HTTP layer reads it.
   */
  corsAllowOrigins?: readonly string[];
}
