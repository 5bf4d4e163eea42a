// Target 1b (issue 16): the built verify bundle's handler, called directly in one process, against a bare
// node:crypto verify of the same token. The bundle comes from the one build definition (infra/build.ts) and
// runs as its Lambda does (its own Logger at INFO and EMF metrics on, writing to stdout), in local mode over
// a data folder seeded here: embedded store, local key. A child process (handler-verify-child.ts) holds it,
// so its module state and its stdout (/dev/null) are its own.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedStore } from '../../functions/adapters/embedded-store.ts';
import { LocalSigner } from '../../functions/adapters/local-signer.ts';
import { buildAll } from '../../infra/build.ts';
import { issueFor, seedUser, testDeps } from '../helpers/deps.ts';
import { httpApiEvent } from '../unit/http/fixture-events.ts';
import type { ChildRequest } from './handler-verify-child.ts';
import { cpuSummary } from './measure.ts';

/** Runs the child with its stdout on /dev/null (the handler's log lines), failing with its stderr. */
function runChild(command: string, args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`the handler bench failed (exit ${code}): ${stderr}`)),
    );
  });
}

/** The candidates, by the names results.json uses. */
export const HANDLER_CANDIDATES = {
  direct: 'verify bundle, direct event {"token"}',
  httpApi: 'verify bundle, HTTP API event',
} as const;

export interface HandlerVerifyResult {
  opsPerCpuSecond: Record<string, number>;
  ratioToBareNodeCrypto: Record<string, number>;
  rounds: number;
  batchSize: number;
}

/**
 * Builds the verify bundle, seeds a data folder with one FixedTtl token, and measures the handler on the
 * direct event and on an HTTP API event against bare node:crypto, in a child process.
 *
 * @example
 * const handler = await benchHandlerVerify({ rounds: 21, batchSize: 2000 });
 */
export async function benchHandlerVerify(options: {
  rounds: number;
  batchSize: number;
}): Promise<HandlerVerifyResult> {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-bench-handler-'));
  try {
    const [built] = buildAll(join(dir, 'dist'), ['verify']);
    if (built === undefined) throw new Error('the verify bundle was not built');
    const dataDir = join(dir, 'data');
    const signer = await LocalSigner.fromDataDir(dataDir);
    const store = await EmbeddedStore.open({ dataDir });
    // The data folder's clock is the real one: the child verifies at the real time.
    const deps = await testDeps({ store, signer: signer });
    deps.clock.set(Math.floor(Date.now() / 1000));
    await seedUser(deps);
    const { token } = await issueFor(deps, { expiryType: 'FixedTtl', ttl: '86400' });
    await deps.usage.flush();
    await store.flush();
    const [jwk] = await signer.publicKeys();
    if (jwk === undefined) throw new Error('the signer has no key');

    const request: ChildRequest = {
      token,
      jwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y },
      events: {
        [HANDLER_CANDIDATES.direct]: { token },
        [HANDLER_CANDIDATES.httpApi]: httpApiEvent('POST', '/v1/tokens/verify', { body: { token } }),
      },
      rounds: options.rounds,
      batchSize: options.batchSize,
    };
    const requestFile = join(dir, 'request.json');
    const resultFile = join(dir, 'result.json');
    await writeFile(requestFile, JSON.stringify(request));
    const child = join(import.meta.dirname, 'handler-verify-child.ts');
    const tsx = join(import.meta.dirname, '..', '..', 'node_modules', '.bin', 'tsx');
    await runChild(tsx, [child, built.file, requestFile, resultFile], {
      // What Lambda sets (no TESSERA_* but the local data folder): INFO logs and EMF, as deployed.
      PATH: process.env.PATH ?? '',
      AWS_REGION: 'us-east-1',
      AWS_LAMBDA_FUNCTION_NAME: 'tessera-verify',
      TESSERA_DATA_DIR: dataDir,
      POWERTOOLS_LOG_LEVEL: 'INFO',
      NODE_NO_WARNINGS: '1',
    });
    const { rates, ratios } = JSON.parse(await readFile(resultFile, 'utf8')) as {
      rates: Record<string, number>;
      ratios: Record<string, number>;
    };
    return cpuSummary(rates, ratios, options);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
