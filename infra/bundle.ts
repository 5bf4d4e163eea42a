// The one build definition of Tessera's Lambda functions: `npm run build` and the CDK stack both bundle
// through here, so what is tested, measured and deployed is the same code built the same way.

import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type BuildOptions, buildSync } from 'esbuild';
import { CONSOLE_FILES } from '../functions/console/assets.ts';

/** Every Lambda function, each bundled from `functions/<name>/handler.ts`. */
export const FUNCTION_NAMES = [
  'issue',
  'verify',
  'refresh',
  'authorizer',
  'keys',
  'admin',
  'exchange',
  'events',
] as const;
export type LambdaFunctionName = (typeof FUNCTION_NAMES)[number];

export const ROOT = resolve(import.meta.dirname, '..');

/** The Lambda runtime the bundles target (the stack uses the same). */
export const LAMBDA_NODE_TARGET = 'node22';

/**
 * The AWS SDK credential providers the SDK imports lazily, only when the environment holds no credentials.
 * Lambda always puts the function role's credentials in the environment, so these are never reached there;
 * left out of the bundle they spare each function about 130 KiB of cold start. Were one ever needed, the
 * import resolves to the SDK the Node.js runtime ships.
 */
export const LAZY_CREDENTIAL_PROVIDERS = [
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-http',
  '@smithy/credential-provider-imds',
  '@aws-sdk/nested-clients',
];

/** esbuild options for one function, writing `<outdir>/index.mjs` (ESM, minified, with a source map). */
export function bundleOptions(name: LambdaFunctionName, outdir: string): BuildOptions {
  return {
    entryPoints: [join(ROOT, 'functions', name, 'handler.ts')],
    outfile: join(outdir, 'index.mjs'),
    bundle: true,
    platform: 'node',
    target: LAMBDA_NODE_TARGET,
    format: 'esm',
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    metafile: true,
    legalComments: 'none',
    mainFields: ['module', 'main'],
    external: LAZY_CREDENTIAL_PROVIDERS,
    // Some dependencies are CommonJS and call require(); an ESM bundle needs one made for it.
    banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
    logLevel: 'warning',
  };
}

/**
 * Bundles one function synchronously (CDK's local bundling is synchronous). The keys function also gets
 * the console's static files in `console/` beside its bundle, where `functions/console/assets.ts` looks.
 *
 * @example
 * bundleFunctionSync('verify', 'dist/verify'); // dist/verify/index.mjs exporting `handler`
 */
export function bundleFunctionSync(name: LambdaFunctionName, outdir: string) {
  const result = buildSync(bundleOptions(name, outdir));
  if (name === 'keys') {
    mkdirSync(join(outdir, 'console'), { recursive: true });
    for (const file of Object.keys(CONSOLE_FILES)) {
      copyFileSync(join(ROOT, 'functions', 'console', file), join(outdir, 'console', file));
    }
  }
  return result;
}
