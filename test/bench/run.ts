// `npm run bench`: issues 8's and 16's figures measured side by side in one run (verify CPU against bare
// node:crypto and jose, the built verify handler against bare node:crypto, AWS calls per operation on
// DynamoDB Local and the KMS double, one hot ecosystem's burst on DynamoDB Local, cold start per function,
// the local server against a bare node:http server), printed as a table and written to bench/results.json
// (keys in docs/bench.md). Not part of `npm test`; bounded (a few minutes at most), loopback only.
//
//   npm run bench                 the full run
//   npm run bench -- --quick      fewer rounds, for a look (not for the report)
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchCalls } from './calls.ts';
import { benchColdStart } from './cold-start.ts';
import { benchHandlerVerify } from './handler-verify.ts';
import { benchHotEcosystem } from './hot-ecosystem.ts';
import { machineLoad } from './measure.ts';
import { printReport } from './report.ts';
import { benchServerThroughput } from './server-throughput.ts';
import { type BenchResults, checkTargets, TARGETS } from './targets.ts';
import { benchVerifyCpu, VERIFY_CANDIDATES } from './verify-cpu.ts';

const ROOT = join(import.meta.dirname, '..', '..');
export const RESULTS_FILE = join(ROOT, 'bench', 'results.json');

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
  const quick = values.quick === true;
  const step = (what: string) => process.stderr.write(`bench: ${what}...\n`);
  const startedAt = new Date().toISOString();
  const loadBefore = machineLoad();

  step('verify CPU (node:crypto, tessera, jose)');
  const verifyCpu = await benchVerifyCpu(
    quick ? { rounds: 5, batchSize: 1000 } : { rounds: 21, batchSize: 2000 },
  );
  step('the built verify handler (direct and HTTP API events) against node:crypto');
  const handlerVerify = await benchHandlerVerify(
    quick ? { rounds: 5, batchSize: 1000 } : { rounds: 21, batchSize: 2000 },
  );
  step('AWS calls per operation (DynamoDB Local, KMS double)');
  const calls = await benchCalls({ verifies: quick ? 200 : 1000, ttlSeconds: 3600 });
  step('one hot ecosystem (DynamoDB Local)');
  const hotEcosystem = await benchHotEcosystem(
    quick ? { users: 20, verifiesPerUser: 20 } : { users: 50, verifiesPerUser: 20 },
  );
  step('cold start (bundles, module load in fresh processes)');
  const coldStart = await benchColdStart({ processes: quick ? 3 : 11 });
  step('local server against bare node:http');
  const server = await benchServerThroughput(
    quick
      ? { rounds: 2, requestsPerRound: 500, concurrency: 8 }
      : { rounds: 6, requestsPerRound: 2000, concurrency: 8 },
  );

  const measured = { verifyCpu, handlerVerify, calls, hotEcosystem, coldStart, server };
  const results: BenchResults = {
    startedAt,
    finishedAt: new Date().toISOString(),
    quick,
    node: process.version,
    machine: { before: loadBefore, after: machineLoad() },
    targets: TARGETS,
    ...measured,
    verdicts: checkTargets(measured),
  };
  await mkdir(join(ROOT, 'bench'), { recursive: true });
  await writeFile(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  printReport(results, VERIFY_CANDIDATES);
  process.stdout.write(`\nwrote ${RESULTS_FILE}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
