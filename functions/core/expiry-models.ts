// Each expiry model as one record: its name, which durations it takes, the deadlines it sets, whether a
// use is recorded, whether the JWKS alone can judge it, and how the API describes it. Issue, verify,
// refresh, the token reader, the client and the OpenAPI document read this table and spell no model
// themselves (as jose keeps one table of algorithms to key types): adding a model is adding a record here.
//
//   SlidingTtl with ttl = 10 and maxTtl = 30, issued at t=0 and used at t=6 and t=14:
//
//   t:   0     6     14    20    24    30
//        |-----|-----|-----------|-----|
//        issue use   use          idle deadline after the last use (14 + 10) ... but
//        absolute deadline (0 + 30) ---------------------------^ caps every later use
//
//   valid while now < lastUsedAt + ttl and now < issuedAt + maxTtl; `expiresAt` reports the earlier one.
// No import but types: the browser client reads this table too.
import type { TokenRecord } from './ports.ts';

export type ExpiryType = 'Infinite' | 'FixedTtl' | 'SlidingTtl';

/** The deadlines of a token at a moment, in epoch seconds; null where none applies. */
export interface Deadlines {
  /** The earliest deadline in force: what the token answers as `expiresAt`. */
  expiresAt: number | null;
  /** SlidingTtl with maxTtl: issue + maxTtl. */
  absoluteExpiresAt: number | null;
}

/** The part of a token record the deadlines are computed from. */
export type TimedRecord = Pick<TokenRecord, 'issuedAt' | 'ttl' | 'absoluteExpiresAt' | 'lastUsedAt'>;

export interface ExpiryModel {
  readonly name: ExpiryType;
  /** It takes a `ttl` (whole seconds); without one the token never expires by time. */
  readonly takesTtl: boolean;
  /** It takes the optional absolute cap `maxTtl`. */
  readonly takesMaxTtl: boolean;
  /** Verify and refresh are uses that move its deadline, so the last use is recorded in the store. */
  readonly recordsUse: boolean;
  /** The JWKS alone can judge it (the offline verifier takes it): its one deadline is signed in as `exp`. */
  readonly checkableOffline: boolean;
  /** Whether a token of it carries `exp`: always, only with `maxTtl`, or never. */
  readonly exp: 'always' | 'with maxTtl' | 'never';
  /** What its `exp` is called when a TOKEN_EXPIRED message says which deadline passed. */
  readonly expName: string;
  /** Its `exp`: the deadline known at issue, which no use moves; null when the token carries none. */
  signedDeadline(token: TimedRecord): number | null;
  /** Its deadlines at the moment the record describes (after its last recorded use). */
  deadlines(token: TimedRecord): Deadlines;
  /** One line for the API reference and the OpenAPI document. */
  readonly description: string;
}

/** Every model, in the order the API lists them. */
export const EXPIRY_MODELS: Readonly<Record<ExpiryType, ExpiryModel>> = {
  Infinite: {
    name: 'Infinite',
    takesTtl: false,
    takesMaxTtl: false,
    recordsUse: false,
    checkableOffline: false,
    exp: 'never',
    expName: 'deadline (exp)',
    signedDeadline: () => null,
    deadlines: () => ({ expiresAt: null, absoluteExpiresAt: null }),
    description: 'never expires; valid until revoked',
  },
  FixedTtl: {
    name: 'FixedTtl',
    takesTtl: true,
    takesMaxTtl: false,
    recordsUse: false,
    checkableOffline: true,
    exp: 'always',
    expName: 'fixed deadline',
    signedDeadline: (token) => token.issuedAt + (token.ttl ?? 0),
    deadlines: (token) => ({ expiresAt: token.issuedAt + (token.ttl ?? 0), absoluteExpiresAt: null }),
    description: 'expires ttl seconds after issue',
  },
  SlidingTtl: {
    name: 'SlidingTtl',
    takesTtl: true,
    takesMaxTtl: true,
    recordsUse: true,
    checkableOffline: false,
    exp: 'with maxTtl',
    expName: 'absolute deadline (maxTtl)',
    signedDeadline: (token) => token.absoluteExpiresAt,
    deadlines: (token) => {
      const idle = (token.lastUsedAt ?? token.issuedAt) + (token.ttl ?? 0);
      const absolute = token.absoluteExpiresAt;
      return { expiresAt: absolute === null ? idle : Math.min(idle, absolute), absoluteExpiresAt: absolute };
    },
    description:
      'expires ttl seconds after its last use (verify and refresh are uses), and at issue + maxTtl',
  },
};

/** The model names, for validation and the OpenAPI enum. */
export const EXPIRY_TYPES = Object.keys(EXPIRY_MODELS) as readonly ExpiryType[];

export const DEFAULT_EXPIRY_TYPE: ExpiryType = 'FixedTtl';

/**
 * True when `value` names a model.
 *
 * @example
 * isExpiryType('fixedttl'); // false: names are case-sensitive
 */
export function isExpiryType(value: unknown): value is ExpiryType {
  return typeof value === 'string' && Object.hasOwn(EXPIRY_MODELS, value);
}

/** The models, one line each, as the OpenAPI document describes the `expiryType` field. */
export const EXPIRY_TYPES_DESCRIPTION = EXPIRY_TYPES.map((name) => {
  const fallback = name === DEFAULT_EXPIRY_TYPE ? ' (the default)' : '';
  return `${name}${fallback}: ${EXPIRY_MODELS[name].description}.`;
}).join(' ');
