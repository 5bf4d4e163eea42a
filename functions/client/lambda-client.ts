// Issue, verify, refresh and exchange from another Lambda function: the direct-invocation events of API.md sent
// with lambda:InvokeFunction, their plain JSON answers read back into the same answers and errors as HTTP.
import { InvokeCommand, type InvokeCommandOutput, LambdaClient } from '@aws-sdk/client-lambda';
import { errorFromAnswer, TesseraClientError } from './client-error.ts';
import { type PrecheckOptions, precheckToken } from './token-precheck.ts';
import type { ExchangedToken, IssuedToken, IssueOptions, VerifiedToken } from './types.ts';

export interface TesseraLambdaClientOptions {
  /** The names (or ARNs, with a qualifier if you like) of the deployed functions. */
  functions: { issue: string; verify: string; refresh: string; exchange?: string };
  /** Defaults to a LambdaClient of the environment's region and credentials. */
  lambda?: LambdaClient;
  /** The local pre-check before verify and refresh, as on the HTTP client; on by default. */
  precheck?: boolean | PrecheckOptions;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** SDK errors that say the call may succeed later; any other SDK error is the caller's setup and is rethrown. */
function isTransient(err: unknown): boolean {
  const meta = (err as { $metadata?: { httpStatusCode?: number } }).$metadata;
  const status = meta?.httpStatusCode;
  const name = (err as { name?: string }).name ?? '';
  return status === undefined || status === 429 || status >= 500 || /Throttl|TooManyRequests/.test(name);
}

/**
 * A client of Tessera's functions invoked directly (IAM `lambda:InvokeFunction`), without API Gateway.
 * Answers and errors are those of the HTTP client: a refusal throws `TesseraClientError` with its code.
 *
 * @example
 * const tessera = new TesseraLambdaClient({
 *   functions: { issue: 'tessera-issue', verify: 'tessera-verify', refresh: 'tessera-refresh' },
 * });
 * const { token } = await tessera.issueToken('my-eco', 'alice', { expiryType: 'FixedTtl', ttl: 900 });
 * const { userId } = await tessera.verifyToken(token);
 */
export class TesseraLambdaClient {
  readonly #lambda: LambdaClient;
  readonly #functions: TesseraLambdaClientOptions['functions'];
  readonly #precheck: PrecheckOptions | undefined;

  constructor(options: TesseraLambdaClientOptions) {
    this.#lambda = options.lambda ?? new LambdaClient({});
    this.#functions = options.functions;
    this.#precheck =
      options.precheck === false ? undefined : typeof options.precheck === 'object' ? options.precheck : {};
  }

  /** The issue function's event: `{"ecosystemId","userId","expiryType"?,"ttl"?,"maxTtl"?,"claims"?}`. */
  issueToken(ecosystemId: string, userId: string, options: IssueOptions = {}): Promise<IssuedToken> {
    const event: Record<string, unknown> = { ecosystemId, userId };
    for (const name of ['expiryType', 'ttl', 'maxTtl', 'claims', 'audience', 'label'] as const) {
      if (options[name] !== undefined) event[name] = options[name];
    }
    return this.#invoke(this.#functions.issue, event);
  }

  /**
   * The verify function's event `{"token","audience"?}`; a `{"valid":false,"error"}` answer throws its
   * code (`TOKEN_AUDIENCE_INVALID` for a token without `options.audience`).
   */
  verifyToken(token: string, options: { audience?: string } = {}): Promise<VerifiedToken> {
    const { audience } = options;
    if (this.#precheck !== undefined) precheckToken(token, { ...this.#precheck, audience });
    return this.#invoke(this.#functions.verify, audience === undefined ? { token } : { token, audience });
  }

  /** The refresh function's event `{"token"}`: the successor token. */
  refreshToken(token: string): Promise<IssuedToken> {
    if (this.#precheck !== undefined) precheckToken(token, this.#precheck);
    return this.#invoke(this.#functions.refresh, { token });
  }

  /** The exchange function's event `{"token","provider"}`: a provider token for the token's user. */
  exchangeToken(token: string, provider: string): Promise<ExchangedToken> {
    const name = this.#functions.exchange;
    if (name === undefined) throw new TypeError('Name the exchange function in `functions.exchange`.');
    if (this.#precheck !== undefined) precheckToken(token, this.#precheck);
    return this.#invoke(name, { token, provider });
  }

  async #invoke<T>(functionName: string, event: unknown): Promise<T> {
    let output: InvokeCommandOutput;
    try {
      output = await this.#lambda.send(
        new InvokeCommand({ FunctionName: functionName, Payload: encoder.encode(JSON.stringify(event)) }),
      );
    } catch (err) {
      if (!isTransient(err)) throw err;
      throw new TesseraClientError('SERVICE_UNAVAILABLE', `Invoking ${functionName} failed; retry shortly.`, {
        cause: err,
        retryAfterSeconds: 1,
        status: 503,
      });
    }
    const text = output.Payload === undefined ? '' : decoder.decode(output.Payload);
    let answer: unknown;
    try {
      answer = JSON.parse(text);
    } catch {
      answer = undefined;
    }
    if (output.FunctionError !== undefined) {
      const type = (answer as { errorType?: unknown } | undefined)?.errorType;
      throw new TesseraClientError(
        'INTERNAL_ERROR',
        `${functionName} failed (${typeof type === 'string' ? type : output.FunctionError}); the request was not applied.`,
        { status: 500 },
      );
    }
    if (typeof answer !== 'object' || answer === null || 'statusCode' in answer) {
      throw new TesseraClientError(
        'RESPONSE_INVALID',
        `${functionName} did not answer a direct invocation with plain JSON; is it a Tessera function?`,
      );
    }
    if ('error' in answer) throw errorFromAnswer(undefined, answer);
    return answer as T;
  }
}
