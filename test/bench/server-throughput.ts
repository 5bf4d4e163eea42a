// Target 4: verify requests per second through `npm start`'s server against a bare node:http server that
// only checks the signature, both in child processes on loopback, driven in the same run by a bounded
// keep-alive client from this process, in alternating rounds of a fixed number of requests.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { startChild, stopChild } from '../helpers/child-server.ts';
import { makeDataDir, removeDataDir } from '../helpers/server.ts';
import { median, round } from './measure.ts';

const REQUEST_TIMEOUT_MS = 10_000;

export interface ServerThroughputResult {
  concurrency: number;
  requestsPerRound: number;
  rounds: number;
  /** Median requests per second of each server. */
  requestsPerSecond: { tessera: number; bareNodeHttp: number };
  /** Median over rounds of tessera's rate over the bare server's in the same round. */
  ratio: number;
  /** Answers other than 200 (must be 0). */
  failures: number;
}

/** One request with a JSON body; answers the status and the parsed body. */
function call(
  agent: Agent,
  url: string,
  body: unknown,
  bearer?: string,
): Promise<{ status: number; body: unknown }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        timeout: REQUEST_TIMEOUT_MS,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          ...(bearer === undefined ? {} : { authorization: `Bearer ${bearer}` }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: text === '' ? undefined : JSON.parse(text) });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** `count` POSTs at `concurrency` in flight; answers requests per wall-clock second and the non-200s. */
async function drive(agent: Agent, url: string, body: unknown, count: number, concurrency: number) {
  let next = 0;
  let failures = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      next++;
      const { status } = await call(agent, url, body);
      if (status !== 200) failures++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { rate: (count * 1000) / (performance.now() - started), failures };
}

/**
 * Measures both servers with a FixedTtl token issued through the API.
 *
 * @example
 * const result = await benchServerThroughput({ rounds: 6, requestsPerRound: 1500, concurrency: 8 });
 */
export async function benchServerThroughput(options: {
  rounds: number;
  requestsPerRound: number;
  concurrency: number;
}): Promise<ServerThroughputResult> {
  const dataDir = await makeDataDir();
  const accountToken = `tsa_bench-${randomBytes(24).toString('hex')}`;
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const children: ChildProcess[] = [];
  try {
    // The per-request INFO log line is silenced as in npm run test:load; warnings and errors stay.
    const tessera = await startChild(['functions/local/main.ts'], {
      PORT: '0',
      TESSERA_DATA_DIR: dataDir,
      TESSERA_ACCOUNT_TOKEN: accountToken,
      POWERTOOLS_LOG_LEVEL: 'WARN',
    });
    children.push(tessera.child);
    const eco = await call(agent, `${tessera.url}/v1/ecosystems`, { name: 'bench' }, accountToken);
    const { ecosystemId, serverToken } = eco.body as { ecosystemId: string; serverToken: string };
    const userUrl = `${tessera.url}/v1/ecosystems/${ecosystemId}/users/alice`;
    await new Promise<void>((resolve, reject) => {
      const req = request(
        userUrl,
        {
          method: 'PUT',
          agent,
          headers: { authorization: `Bearer ${serverToken}`, 'content-type': 'application/json' },
        },
        (res) => {
          res.resume();
          res.on('end', () =>
            res.statusCode === 201 ? resolve() : reject(new Error(`PUT user: ${res.statusCode}`)),
          );
        },
      );
      req.on('error', reject);
      req.end('{"metadata":{"plan":"pro"}}');
    });
    const issued = await call(agent, `${userUrl}/tokens?expiryType=FixedTtl&ttl=3600`, {}, serverToken);
    const token = (issued.body as { token: string }).token;
    const jwks = await new Promise<{ keys: unknown[] }>((resolve, reject) => {
      request(`${tessera.url}/.well-known/jwks.json`, { agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
      })
        .on('error', reject)
        .end();
    });
    const bare = await startChild(['test/bench/bare-server.ts'], { BENCH_JWK: JSON.stringify(jwks.keys[0]) });
    children.push(bare.child);

    const targets = { tessera: `${tessera.url}/v1/tokens/verify`, bareNodeHttp: bare.url };
    let failures = 0;
    for (const url of Object.values(targets)) {
      failures += (await drive(agent, url, { token }, 200, options.concurrency)).failures; // warm-up
    }
    const rates = { tessera: [] as number[], bareNodeHttp: [] as number[] };
    const ratios: number[] = [];
    for (let r = 0; r < options.rounds; r++) {
      const order =
        r % 2 === 0 ? (['tessera', 'bareNodeHttp'] as const) : (['bareNodeHttp', 'tessera'] as const);
      const round: Record<string, number> = {};
      for (const name of order) {
        const { rate, failures: failed } = await drive(
          agent,
          targets[name],
          { token },
          options.requestsPerRound,
          options.concurrency,
        );
        failures += failed;
        rates[name].push(rate);
        round[name] = rate;
      }
      ratios.push((round.tessera ?? 0) / (round.bareNodeHttp ?? 1));
    }
    return {
      concurrency: options.concurrency,
      requestsPerRound: options.requestsPerRound,
      rounds: options.rounds,
      requestsPerSecond: {
        tessera: round(median(rates.tessera), 0),
        bareNodeHttp: round(median(rates.bareNodeHttp), 0),
      },
      ratio: round(median(ratios), 3),
      failures,
    };
  } finally {
    agent.destroy();
    for (const child of children) await stopChild(child);
    await removeDataDir(dataDir);
  }
}
