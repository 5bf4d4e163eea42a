// Hands the function's dependencies to the rest of the pipeline, built once (at cold start, or at the first
// request) and reused; a failed build is retried by the next request.
import type { Deps } from '../../core/deps.ts';
import type { FrontDoorMiddleware, FrontDoorRequest } from './state.ts';

/** The dependencies, or a way to build them once. */
export type DepsSource<D = Deps> = D | (() => Promise<D>);

/**
 * Memoizes a dependency source: built at the first call and reused; a failed build is retried next call.
 *
 * @example
 * const getDeps = memoizeDeps(buildDependencies);
 * const deps = await getDeps();
 */
export function memoizeDeps<D extends object>(source: DepsSource<D>): () => Promise<D> {
  if (typeof source !== 'function') return () => Promise.resolve(source);
  const build = source as () => Promise<D>; // dependencies are plain objects, so a function is a builder
  let built: Promise<D> | undefined;
  return () => {
    built ??= build().catch((err: unknown) => {
      built = undefined; // a failed cold start is retried by the next request
      throw err;
    });
    return built;
  };
}

/**
 * @example
 * middy(handler).use(dependencies({ getDeps: memoizeDeps(buildDependencies) }));
 */
export function dependencies<D>(options: { getDeps: () => Promise<D> }): FrontDoorMiddleware<D> {
  return {
    before: async (request: FrontDoorRequest<D>) => {
      request.internal.deps = await options.getDeps();
    },
  };
}
