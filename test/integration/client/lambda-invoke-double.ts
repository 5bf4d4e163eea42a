// A small stand-in for the Lambda Invoke API on a loopback port: REST `POST /2015-03-31/functions/{name}/
// invocations`, answered by calling real handlers in-process, with Lambda's headers for a function error.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from 'aws-lambda';

export type InvokedHandler = (event: unknown, context: Context) => Promise<unknown>;

export interface LambdaInvokeDouble {
  endpoint: string;
  /** The function names invoked so far, in order. */
  invocations: string[];
  /** While true, every invoke is refused with 429 TooManyRequestsException. */
  throttle: boolean;
  close(): Promise<void>;
}

const PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

function awsError(status: number, type: string, message: string) {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': type },
    body: JSON.stringify({ Type: 'User', message }),
  };
}

/**
 * Serves `handlers` by function name as the Lambda service would for RequestResponse invokes.
 *
 * @example
 * const lambda = await startLambdaInvokeDouble({ verify: createVerifyHandler(deps) });
 * new LambdaClient({ endpoint: lambda.endpoint, region: 'us-east-1', credentials });
 */
export async function startLambdaInvokeDouble(
  handlers: Record<string, InvokedHandler>,
): Promise<LambdaInvokeDouble> {
  const state = { invocations: [] as string[], throttle: false };
  const answer = async (method: string, url: string, payload: string) => {
    const name = decodeURIComponent(PATH.exec(new URL(url, 'http://x').pathname)?.[1] ?? '');
    if (method !== 'POST' || name === '')
      return awsError(404, 'UnknownOperationException', 'Unknown operation');
    if (state.throttle) return awsError(429, 'TooManyRequestsException', 'Rate exceeded');
    const handler = handlers[name];
    if (handler === undefined)
      return awsError(404, 'ResourceNotFoundException', `Function not found: ${name}`);
    state.invocations.push(name);
    const headers = { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST' };
    try {
      const event: unknown = payload === '' ? {} : JSON.parse(payload);
      const result = await handler(event, { functionName: name, awsRequestId: 'double' } as Context);
      return { status: 200, headers, body: JSON.stringify(result ?? null) };
    } catch (err) {
      const error = err as Error;
      return {
        status: 200,
        headers: { ...headers, 'x-amz-function-error': 'Unhandled' },
        body: JSON.stringify({ errorType: error.name, errorMessage: error.message, trace: [] }),
      };
    }
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      answer(request.method ?? '', request.url ?? '/', Buffer.concat(chunks).toString('utf8')).then(
        ({ status, headers, body }) => {
          response.writeHead(status, headers);
          response.end(body);
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
