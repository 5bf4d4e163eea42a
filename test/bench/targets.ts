// Issues 8's and 16's targets as numbers, and the verdict of one run against each: met, or by how much it
// falls short.
import type { CallsResult } from './calls.ts';
import type { ColdStartResult } from './cold-start.ts';
import { HANDLER_CANDIDATES, type HandlerVerifyResult } from './handler-verify.ts';
import type { HotEcosystemResult } from './hot-ecosystem.ts';
import type { MachineLoad } from './measure.ts';
import type { ServerThroughputResult } from './server-throughput.ts';
import { VERIFY_CANDIDATES, type VerifyCpuResult } from './verify-cpu.ts';

export const TARGETS = {
  /** Verify with claim checks over bare node:crypto, same run. */
  verifyCpuRatioMin: 0.9,
  issueKmsSignMax: 1,
  issueDynamodbWritesMax: 1,
  verifyKmsCallsMax: 0,
  verifyDynamodbRoundTripsMax: 1,
  /** verify and authorizer; 1 KB = 1,000 bytes here, the stricter reading. */
  bundleBytesMax: 350_000,
  loadOverheadMsMax: 60,
  /** Issue 16: the built verify bundle's handler, called directly, over bare node:crypto, same run. */
  handlerVerifyRatioMin: 0.75,
  /** Issue 16, one hot ecosystem: DynamoDB requests per verify ("about one"). */
  hotRequestsPerVerifyMax: 1.1,
  /** Reads of items the ecosystem shares, per container-second: one per cache bound (1 s). */
  hotEcosystemWideReadsPerContainerSecondMax: 1,
  /** Writes of items the ecosystem shares, per verify: one usage batch per 200 events at most. */
  hotEcosystemWideWritesPerVerifyMax: 1 / 200,
} as const;

export interface Measured {
  verifyCpu: VerifyCpuResult;
  handlerVerify: HandlerVerifyResult;
  calls: CallsResult;
  hotEcosystem: HotEcosystemResult;
  coldStart: ColdStartResult;
  server: ServerThroughputResult;
}

export interface BenchResults extends Measured {
  startedAt: string;
  finishedAt: string;
  quick: boolean;
  node: string;
  machine: { before: MachineLoad; after: MachineLoad };
  targets: typeof TARGETS;
  verdicts: Verdict[];
}

export interface Verdict {
  target: string;
  measured: number;
  limit: number | null;
  /** null for a figure the issue asks to report without a bound. */
  met: boolean | null;
}

/**
 * Compares one run's figures with the targets.
 *
 * @example
 * checkTargets(measured).filter((v) => v.met === false); // what falls short
 */
const round3 = (value: number) => Math.round(value * 1000) / 1000;

export function checkTargets(m: Measured): Verdict[] {
  const verdicts: Verdict[] = [];
  const atLeast = (target: string, measured: number, limit: number) =>
    verdicts.push({ target, measured, limit, met: measured >= limit });
  const atMost = (target: string, measured: number, limit: number) =>
    verdicts.push({ target, measured, limit, met: measured <= limit });

  atLeast(
    'verify CPU ratio to bare node:crypto',
    m.verifyCpu.ratioToBareNodeCrypto[VERIFY_CANDIDATES.tessera] ?? 0,
    TARGETS.verifyCpuRatioMin,
  );
  atLeast(
    'verify bundle handler (direct event) ratio to bare node:crypto',
    m.handlerVerify.ratioToBareNodeCrypto[HANDLER_CANDIDATES.direct] ?? 0,
    TARGETS.handlerVerifyRatioMin,
  );
  verdicts.push({
    target: 'verify bundle handler (HTTP API event) ratio to bare node:crypto',
    measured: m.handlerVerify.ratioToBareNodeCrypto[HANDLER_CANDIDATES.httpApi] ?? 0,
    limit: null,
    met: null,
  });
  for (const [model, calls] of Object.entries(m.calls.models)) {
    atMost(`${model} issue: KMS Sign calls`, calls.issue.kmsSign, TARGETS.issueKmsSignMax);
    atMost(`${model} issue: DynamoDB writes`, calls.issue.dynamodbWrites, TARGETS.issueDynamodbWritesMax);
    atMost(
      `${model} verify: KMS calls (${calls.verifies} verifies)`,
      calls.verify.kmsCalls,
      TARGETS.verifyKmsCallsMax,
    );
    atMost(
      `${model} verify: most DynamoDB round trips in one verify`,
      calls.verify.maxDynamodbRoundTripsPerVerify,
      TARGETS.verifyDynamodbRoundTripsMax,
    );
    if (calls.maxWritesAllowed !== undefined) {
      atMost(
        `${model}: token writes (sliding touches) for ${calls.verifies} verifies 1 s apart`,
        calls.verify.tokenWrites,
        calls.maxWritesAllowed,
      );
    }
  }
  for (const name of ['verify', 'authorizer'] as const) {
    const fn = m.coldStart.functions[name];
    atMost(`${name} bundle bytes`, fn.bundleBytes, TARGETS.bundleBytesMax);
    atMost(`${name} module-load overhead ms`, fn.loadOverheadMs, TARGETS.loadOverheadMsMax);
  }
  const hot = m.hotEcosystem;
  const hotName = `hot ecosystem (${hot.users} users, ${hot.verifies} verifies)`;
  atMost(`${hotName}: DynamoDB requests per verify`, hot.requestsPerVerify, TARGETS.hotRequestsPerVerifyMax);
  atMost(
    `${hotName}: ecosystem-wide reads per container-second`,
    round3(hot.touches.ecosystemWide.reads / hot.containerSeconds),
    TARGETS.hotEcosystemWideReadsPerContainerSecondMax / hot.ecosystemCacheSeconds,
  );
  atMost(
    `${hotName}: ecosystem-wide writes per verify`,
    round3(hot.touches.ecosystemWide.writes / hot.verifies),
    TARGETS.hotEcosystemWideWritesPerVerifyMax,
  );
  verdicts.push({
    target: `${hotName}: ecosystem-wide touches per container-second`,
    measured: hot.ecosystemWideTouchesPerContainerSecond,
    limit: null,
    met: null,
  });
  verdicts.push({
    target: 'local server verify req/s ratio to bare node:http',
    measured: m.server.ratio,
    limit: null,
    met: null,
  });
  return verdicts;
}
