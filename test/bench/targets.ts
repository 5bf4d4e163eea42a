// Issue 8's targets as numbers, and the verdict of one run against each: met, or by how much it falls short.
import type { CallsResult } from './calls.ts';
import type { ColdStartResult } from './cold-start.ts';
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
} as const;

export interface Measured {
  verifyCpu: VerifyCpuResult;
  calls: CallsResult;
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
  verdicts.push({
    target: 'local server verify req/s ratio to bare node:http',
    measured: m.server.ratio,
    limit: null,
    met: null,
  });
  return verdicts;
}
