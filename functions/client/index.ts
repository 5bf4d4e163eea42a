// Tessera's typed client, as the package exports it: HTTP, direct Lambda invocation, offline verification.
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
export { TesseraLambdaClient, type TesseraLambdaClientOptions } from './lambda-client.ts';
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
