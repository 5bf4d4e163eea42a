// The keys function: GET /.well-known/jwks.json and GET /openapi.json, both cacheable by clients for five
// minutes, and the console's static files; a direct event `{}` answers the JWKS.
import type { Logger } from '@aws-lambda-powertools/logger';
import { CONSOLE_HEADERS, consoleFile } from '../console/assets.ts';
import type { BaseDeps } from '../core/deps.ts';
import { TesseraError } from '../core/errors.ts';
import { publishKeys } from '../core/keys.ts';
import { type Action, createHttpFunction, type DepsSource, json } from '../http/http-function.ts';
import { emfMetrics, type TokenMetrics } from '../http/metrics.ts';
import { openApiDocument } from '../http/openapi.ts';
import { atColdStart } from '../runtime/cold-start.ts';
import { buildKeysDependencies as buildDependencies } from '../runtime/dependencies.ts';

export const JWKS_MAX_AGE_SECONDS = 300;
const CACHEABLE = { 'cache-control': `public, max-age=${JWKS_MAX_AGE_SECONDS}` };

/** GET /console/ and /console/<file>: the console file the route names (index.html for the folder). */
const consoleAction: Action<BaseDeps> = async ({ route }) => {
  const name = route.path.split('/').at(-1) || 'index.html';
  const file = consoleFile(name);
  if (file === undefined) throw new TesseraError('ROUTE_NOT_FOUND', `The console has no file "${name}".`);
  return { status: 200, text: file.text, headers: { ...CONSOLE_HEADERS, 'content-type': file.contentType } };
};

/**
 * GET /console: to /console/, relative to the request's own URL so that it holds behind a named stage
 * (`/prod/console` → `/prod/console/`) as on the local server (RFC 9110 §10.2.2 allows a relative Location).
 */
const consoleRedirect: Action<BaseDeps> = async () => ({
  status: 301,
  headers: { location: 'console/', 'cache-control': 'public, max-age=3600' },
});

/**
 * The keys handler with the given dependencies (tests and the local server inject theirs): the signer only.
 *
 * @example
 * const handler = createHandler(deps);
 * await handler({}); // { keys: [{ kty: 'EC', crv: 'P-256', kid, … }] }
 */
export function createHandler(
  deps: DepsSource<BaseDeps> = buildDependencies,
  logger?: Logger,
  metrics?: TokenMetrics,
) {
  return createHttpFunction(
    'keys',
    {
      jwks: async (_request, d) => json(200, await publishKeys(d), CACHEABLE),
      openapi: async () => json(200, openApiDocument(), CACHEABLE),
      consoleRedirect,
      console: consoleAction,
      consoleHtml: consoleAction,
      consoleCss: consoleAction,
      consoleJs: consoleAction,
    },
    deps,
    { logger, metrics, direct: { members: [], run: (_event, d) => publishKeys(d) } },
  );
}

export const handler = createHandler(atColdStart(buildDependencies), undefined, emfMetrics());
