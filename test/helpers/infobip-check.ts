// The Infobip Mobile Messaging SDK's check of a user data JWT before each call, ported from its Android
// source (infobip/mobile-messaging-sdk-android, org.infobip.mobile.messaging.util.AuthorizationUtils
// #isValidJwt; the iOS SDK's MMJwtValidator checks the same): three dot-separated parts, a header that is a
// base64url JSON object with `alg`, `typ` and `kid`, a payload with `typ`, `sub`, `infobip-api-key`, `iat`,
// `exp` and `jti`, and `exp` a number later than now. It answers the SDK's error codes.
// https://github.com/infobip/mobile-messaging-sdk-android/wiki/JsonWebToken-(JWT)-structure-and-generation-example

const MANDATORY_HEADERS = ['alg', 'typ', 'kid'];
const MANDATORY_CLAIMS = ['typ', 'sub', 'infobip-api-key', 'iat', 'exp', 'jti'];

export type InfobipCheck =
  | { ok: true }
  | { ok: false; code: 'JWT_TOKEN_STRUCTURE_INVALID' | 'JWT_TOKEN_EXPIRED'; message: string };

function decodeAndParse(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The SDK's verdict on `token` at `nowSeconds`.
 *
 * @example
 * expect(infobipPreRequestCheck(token, now)).toEqual({ ok: true });
 */
export function infobipPreRequestCheck(token: string, nowSeconds: number): InfobipCheck {
  const invalid = (message: string): InfobipCheck => ({
    ok: false,
    code: 'JWT_TOKEN_STRUCTURE_INVALID',
    message,
  });
  if (token.trim() === '') return invalid('Token is empty or blank.');
  const parts = token.split('.');
  if (parts.length !== 3) return invalid('Token must have three parts separated by dots.');
  const header = decodeAndParse(parts[0] ?? '');
  if (header === undefined) return invalid('Token header is not a valid Base64 encoded JSON object.');
  for (const name of MANDATORY_HEADERS) {
    if (!(name in header)) return invalid(`Token header is missing mandatory header ${name}`);
  }
  const payload = decodeAndParse(parts[1] ?? '');
  if (payload === undefined) return invalid('Token payload is not a valid Base64 encoded JSON object.');
  for (const name of MANDATORY_CLAIMS) {
    if (!(name in payload)) return invalid(`Token payload is missing mandatory claim ${name}`);
  }
  const exp = payload.exp;
  if (typeof exp !== 'number') return invalid('Token payload is missing mandatory claim exp');
  if (nowSeconds >= exp) return { ok: false, code: 'JWT_TOKEN_EXPIRED', message: 'JWT token is expired' };
  return { ok: true };
}
