// The client without the Lambda client (which needs the AWS SDK): the HTTP client, the pre-check and the
// offline verifier with its JWKS cache, on fetch, WebCrypto and jose alone. Browsers and edge runtimes
// bundle this entry (`esbuild --platform=browser`, which fails on any node: import); index.ts is this plus
// the Lambda client.
export {
  type ClientErrorCode,
  type ClientOnlyCode,
  errorFromAnswer,
  isApiCode,
  isTesseraClientError,
  TesseraClientError,
} from './client-error.ts';
export { parseRetryAfter, TesseraClient, type TesseraClientOptions } from './http-client.ts';
export { JwksCache, type JwksCacheOptions } from './jwks-cache.ts';
export {
  type OfflineVerifiedToken,
  OfflineVerifier,
  type OfflineVerifierOptions,
} from './offline-verifier.ts';
export {
  assertBeforeDeadline,
  type InspectedToken,
  inspectToken,
  type PrecheckOptions,
  precheckToken,
} from './token-precheck.ts';
export type * from './types.ts';
