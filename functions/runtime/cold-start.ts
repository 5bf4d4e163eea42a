// In Lambda, a function's dependencies are built in the init phase: the handler module starts building them
// as it loads, so the AWS clients exist and the public keys are fetched before the first request arrives.
import { memoizeDeps } from '../http/http-function.ts';

type Env = Record<string, string | undefined>;

/**
 * The dependency source of a function's exported handler. In Lambda (`AWS_LAMBDA_FUNCTION_NAME` is set) the
 * build starts now, at module load; elsewhere (a test importing the module, the local server) it waits for
 * the first request, so importing a handler never touches the data folder. A failed build is retried by
 * the next request either way.
 *
 * @example
 * export const handler = createHandler(atColdStart(buildTokenDependencies), undefined, emfMetrics());
 */
export function atColdStart<D extends object>(
  build: () => Promise<D>,
  env: Env = process.env,
): () => Promise<D> {
  const get = memoizeDeps(build);
  // Not awaited: the first request awaits the same build, and sees (and retries) a failure.
  if (env.AWS_LAMBDA_FUNCTION_NAME !== undefined) get().catch(() => undefined);
  return get;
}
