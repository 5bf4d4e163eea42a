// A tiny AWS JSON 1.1 protocol server on 127.0.0.1:0 for the test doubles of KMS and Secrets Manager: it
// routes on `X-Amz-Target`, counts calls per operation, and can answer faults or slow answers on demand.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An AWS error answer: `__type` is what the SDK turns into the exception's name. */
export class AwsFault extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export type Operation = (input: Record<string, unknown>) => unknown;

export interface AwsJsonServer {
  endpoint: string;
  /** Calls per target, e.g. `calls.get('TrentService.Sign')`. */
  calls: Map<string, number>;
  /** The next `times` calls of `target` answer this fault (default: ThrottlingException, 400). */
  failNext(target: string, times: number, fault?: AwsFault): void;
  /** The next `times` calls of `target` answer only after `ms` milliseconds. */
  delayNext(target: string, times: number, ms: number): void;
  close(): Promise<void>;
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
}

/**
 * @example
 * const server = await startAwsJsonServer({ 'TrentService.Sign': (input) => ({ Signature: '…' }) });
 */
export async function startAwsJsonServer(operations: Record<string, Operation>): Promise<AwsJsonServer> {
  const calls = new Map<string, number>();
  const faults = new Map<string, AwsFault[]>();
  const delays = new Map<string, number[]>();
  const server: Server = createServer((request, response) => {
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', ...headers });
      response.end(JSON.stringify(body));
    };
    const target = String(request.headers['x-amz-target'] ?? '');
    calls.set(target, (calls.get(target) ?? 0) + 1);
    const run = async () => {
      const input = await readJson(request);
      const delay = delays.get(target)?.shift();
      if (delay !== undefined) await new Promise((resolve) => setTimeout(resolve, delay));
      const fault = faults.get(target)?.shift();
      if (fault !== undefined) throw fault;
      const operation = operations[target];
      if (operation === undefined) throw new AwsFault('UnknownOperationException', `no ${target} here`);
      return operation(input);
    };
    run().then(
      (body) => {
        if (!response.destroyed) answer(200, body);
      },
      (err: unknown) => {
        const fault = err instanceof AwsFault ? err : new AwsFault('InternalFailure', String(err), 500);
        if (!response.destroyed) {
          answer(
            fault.status,
            { __type: fault.type, message: fault.message },
            { 'x-amzn-errortype': fault.type },
          );
        }
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    failNext: (target, times, fault = new AwsFault('ThrottlingException', 'Rate exceeded')) => {
      faults.set(target, [...(faults.get(target) ?? []), ...Array<AwsFault>(times).fill(fault)]);
    },
    delayNext: (target, times, ms) => {
      delays.set(target, [...(delays.get(target) ?? []), ...Array<number>(times).fill(ms)]);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
