// Tessera's typed client, as the package exports it: HTTP, direct Lambda invocation, offline verification.
// Everything but the Lambda client is browser.ts, which browsers and edge runtimes bundle on its own.
export * from './browser.ts';
export { TesseraLambdaClient, type TesseraLambdaClientOptions } from './lambda-client.ts';
