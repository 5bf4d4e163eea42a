// The invocation's own deadline: an answer of ours before Lambda stops the function. middy's
// `timeoutEarlyInMillis` races only the handler, not the before-middlewares (the credential check reads the
// store there), so the whole pipeline is raced here instead, from `context.getRemainingTimeInMillis()`.
// https://docs.aws.amazon.com/lambda/latest/dg/nodejs-context.html
import type { Context } from 'aws-lambda';

/**
 * How long before the Lambda timeout a function stops waiting and answers 503 SERVICE_UNAVAILABLE itself:
 * a slow AWS dependency then gets the designed answer with Retry-After, never a Lambda timeout (which API
 * Gateway turns into a bare 500 without our envelope). Enough for the answer and its log line to go out.
 */
export const TIMEOUT_MARGIN_MS = 300;

/**
 * `handler`, answered by `onTimeout(event)` instead when the invocation is about to run out of time. Without
 * `getRemainingTimeInMillis` (a test's bare context) there is no deadline. What was in flight is left to
 * finish or fail on its own: every write is one atomic request, so it happened or not, and a retry is safe.
 *
 * @example
 * export const handler = withDeadline(wrapped, (event) => serviceUnavailableAnswer(event));
 */
export function withDeadline<E, R>(
  handler: (event: E, context: Context) => Promise<R>,
  onTimeout: (event: E) => R,
  marginMs = TIMEOUT_MARGIN_MS,
): (event: E, context: Context) => Promise<R> {
  return async (event, context) => {
    if (typeof context.getRemainingTimeInMillis !== 'function') return handler(event, context);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<R>((resolve) => {
      timer = setTimeout(() => resolve(onTimeout(event)), context.getRemainingTimeInMillis() - marginMs);
    });
    try {
      return await Promise.race([handler(event, context), deadline]);
    } finally {
      clearTimeout(timer);
    }
  };
}
