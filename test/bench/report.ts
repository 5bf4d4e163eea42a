// The table `npm run bench` prints: one section per target, then every verdict.
import type { BenchResults } from './targets.ts';

function table(rows: (string | number)[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => String(row[i] ?? '').length))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, i) =>
          typeof cell === 'number'
            ? String(cell).padStart(widths[i] ?? 0)
            : String(cell).padEnd(widths[i] ?? 0),
        )
        .join('  '),
    )
    .join('\n');
}

/**
 * Prints a run's figures as plain-text tables.
 *
 * @example
 * printReport(results, VERIFY_CANDIDATES);
 */
export function printReport(r: BenchResults, candidates: Record<string, string>): void {
  const out: string[] = [];
  const { before, after } = r.machine;
  out.push(
    `Tessera bench, ${r.startedAt}, Node ${r.node}, ${before.cores} cores; load average ${before.loadavg1m} before, ${after.loadavg1m} after${r.quick ? ' (--quick)' : ''}`,
    '',
    `1. Verify CPU, FixedTtl token, ${r.verifyCpu.rounds} interleaved rounds of ${r.verifyCpu.batchSize}`,
    table([
      ['candidate', 'verifies/CPU s', 'ratio to bare'],
      ...Object.values(candidates).map((name) => [
        name,
        r.verifyCpu.opsPerCpuSecond[name] ?? 0,
        r.verifyCpu.ratioToBareNodeCrypto[name] ?? 0,
      ]),
    ]),
    '',
    `1b. The built verify bundle's handler in one process, ${r.handlerVerify.rounds} interleaved rounds of ${r.handlerVerify.batchSize}, INFO log line and EMF on`,
    table([
      ['candidate', 'verifies/CPU s', 'ratio to bare'],
      ...Object.keys(r.handlerVerify.opsPerCpuSecond).map((name) => [
        name,
        r.handlerVerify.opsPerCpuSecond[name] ?? 0,
        r.handlerVerify.ratioToBareNodeCrypto[name] ?? 0,
      ]),
    ]),
    '',
    `2. AWS calls (DynamoDB Local, KMS double), ${Object.values(r.calls.models)[0]?.verifies ?? 0} verifies 1 s apart, ttl ${r.calls.ttlSeconds} s; KMS GetPublicKey at cold start: ${r.calls.coldStartKms.getPublicKey}`,
    table([
      [
        'model',
        'issue Sign',
        'issue writes',
        'issue requests',
        'verify KMS',
        'verify reads',
        'verify writes',
        'of which token',
        'max trips/verify',
        'verifies >1 trip',
        'capacity units',
      ],
      ...Object.entries(r.calls.models).map(([model, c]) => [
        model,
        c.issue.kmsSign,
        c.issue.dynamodbWrites,
        c.issue.dynamodbRequests,
        c.verify.kmsCalls,
        c.verify.dynamodbReads,
        c.verify.dynamodbWrites,
        c.verify.tokenWrites,
        c.verify.maxDynamodbRoundTripsPerVerify,
        c.verify.verifiesWithMoreThanOneRoundTrip,
        c.verify.consumedCapacityUnits,
      ]),
    ]),
    '',
    `2b. One hot ecosystem (DynamoDB Local): ${r.hotEcosystem.users} users, ${r.hotEcosystem.verifies} verifies through one container, ${r.hotEcosystem.msPerVerify} ms each (${r.hotEcosystem.containerSeconds} container-seconds), ecosystem cache ${r.hotEcosystem.ecosystemCacheSeconds} s`,
    table([
      [
        'requests',
        'per verify',
        'round trips/verify (max)',
        'ecosystem-wide reads',
        'ecosystem-wide writes',
        'per container-s',
        'user writes',
        'final flush writes',
      ],
      [
        r.hotEcosystem.requests,
        r.hotEcosystem.requestsPerVerify,
        `${r.hotEcosystem.roundTripsPerVerify} (${r.hotEcosystem.maxRoundTripsPerVerify})`,
        r.hotEcosystem.touches.ecosystemWide.reads,
        r.hotEcosystem.touches.ecosystemWide.writes,
        r.hotEcosystem.ecosystemWideTouchesPerContainerSecond,
        r.hotEcosystem.touches.user.writes,
        r.hotEcosystem.finalFlushEcosystemWideWrites,
      ],
    ]),
    '',
    `3. Cold start, median over ${r.coldStart.processes} fresh processes, empty module ${r.coldStart.emptyModuleMedianMs} ms`,
    table([
      ['function', 'bundle KiB', 'load overhead ms', 'AWS clients'],
      ...Object.entries(r.coldStart.functions).map(([name, f]) => [
        name,
        f.bundleKiB,
        f.loadOverheadMs,
        f.awsClients.join(', '),
      ]),
    ]),
    '',
    `4. Local server, ${r.server.rounds} alternating rounds of ${r.server.requestsPerRound} POST /v1/tokens/verify, ${r.server.concurrency} in flight`,
    table([
      ['server', 'req/s'],
      ['tessera (npm start)', r.server.requestsPerSecond.tessera],
      ['bare node:http + node:crypto', r.server.requestsPerSecond.bareNodeHttp],
      ['ratio', r.server.ratio],
    ]),
    '',
    'Targets',
    table([
      ['target', 'measured', 'limit', 'verdict'],
      ...r.verdicts.map((v) => [
        v.target,
        v.measured,
        v.limit ?? '-',
        v.met === null ? 'reported' : v.met ? 'met' : 'NOT MET',
      ]),
    ]),
  );
  process.stdout.write(`${out.join('\n')}\n`);
}
