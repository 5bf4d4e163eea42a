// The request options and answer bodies of the API, as a client sees them (the service's own view types).
import type { EcosystemView, NewServerToken, ServerTokenView } from '../core/ecosystems.ts';
import type { IssuedToken } from '../core/issue-token.ts';
import type { ExpiryType, PublicJwk } from '../core/ports.ts';
import type { ProviderView } from '../core/providers.ts';
import type { ExchangedToken } from '../core/providers-exchange.ts';
import type { ProviderType, TwilioGrants } from '../core/providers-model.ts';
import type { RevocationView } from '../core/revocations.ts';
import type { JsonObject, JsonValue } from '../core/strict-json.ts';
import type { DayUsage, UsageReport } from '../core/usage.ts';
import type { TokenView, UserView } from '../core/users.ts';
import type { VerifiedToken } from '../core/verify-token.ts';

export type {
  DayUsage,
  EcosystemView,
  ExchangedToken,
  ExpiryType,
  IssuedToken,
  JsonObject,
  JsonValue,
  NewServerToken,
  ProviderType,
  ProviderView,
  PublicJwk,
  RevocationView,
  ServerTokenView,
  TokenView,
  TwilioGrants,
  UsageReport,
  UserView,
  VerifiedToken,
};

/** `POST /v1/ecosystems`: the ecosystem and its first server token, shown once. */
export type CreatedEcosystem = EcosystemView & NewServerToken;

/** How a new token expires (API.md, Issue). Omitted fields take the service's defaults. */
export interface IssueOptions {
  /** `FixedTtl` (the default), `SlidingTtl` or `Infinite`. */
  expiryType?: ExpiryType;
  /** Whole seconds, default 3600; ignored for Infinite. */
  ttl?: number;
  /** `SlidingTtl` only: an absolute cap, at least `ttl`. */
  maxTtl?: number;
  /** Extra claims carried in the token (at most 2 KiB serialized, no reserved names). */
  claims?: JsonObject;
  /** The token's audiences, signed as `aud`: 1 to 8, each 1 to 128 characters. */
  audience?: string[];
  /** A device or client name, 1 to 64 characters, shown in the user's token listing. */
  label?: string;
}

/** `GET /.well-known/jwks.json`. */
export interface Jwks {
  keys: PublicJwk[];
}

/**
 * A provider as `PUT /v1/ecosystems/{ecosystemId}/providers/{providerId}` takes it: its type, its settings
 * and its secret (kept encrypted by Tessera, never answered). `ttl` in seconds is optional in each.
 */
export type ProviderBody =
  | { type: 'infobip'; applicationCode: string; keyId: string; secretKeyHex: string; ttl?: number }
  | {
      type: 'twilio';
      accountSid: string;
      apiKeySid: string;
      apiKeySecret: string;
      grants: TwilioGrants;
      ttl?: number;
    }
  | { type: 'stream'; apiSecret: string; ttl?: number };
