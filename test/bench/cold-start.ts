// Target 3: cold start of every Lambda function: its minified bundle, built by the one build definition
// (infra/bundle.ts through infra/build.ts) into a temporary folder, and the time a fresh Node process takes
// to import it, median over fresh processes, minus the time to import an empty module the same way.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { awsClientsIn, buildAll } from '../../infra/build.ts';
import type { LambdaFunctionName } from '../../infra/bundle.ts';
import { median, round } from './measure.ts';

const run = promisify(execFile);

/** Imports a module in a fresh process and prints how long the import took, in milliseconds. */
const IMPORT_TIMER =
  'const t=performance.now();await import(process.argv[1]);process.stdout.write(String(performance.now()-t));';

export interface FunctionColdStart {
  bundleBytes: number;
  bundleKiB: number;
  awsClients: string[];
  /** Median import time minus the empty module's, in milliseconds. */
  loadOverheadMs: number;
  loadMedianMs: number;
}

export interface ColdStartResult {
  processes: number;
  emptyModuleMedianMs: number;
  functions: Record<LambdaFunctionName, FunctionColdStart>;
}

async function importMs(file: string): Promise<number> {
  const { stdout } = await run(
    process.execPath,
    ['--input-type=module', '-e', IMPORT_TIMER, pathToFileURL(file).href],
    // What Lambda sets; no TESSERA_* settings: dependencies are built at the first request, not at import.
    { env: { PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1', POWERTOOLS_LOG_LEVEL: 'SILENT' } },
  );
  return Number(stdout);
}

/**
 * Builds every function and times its import over `processes` fresh processes each, interleaved.
 *
 * @example
 * const cold = await benchColdStart({ processes: 9 });
 */
export async function benchColdStart(options: { processes: number }): Promise<ColdStartResult> {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-bench-'));
  try {
    const built = buildAll(dir);
    const empty = join(dir, 'empty.mjs');
    await writeFile(empty, 'export {};\n');
    const times = new Map<string, number[]>([
      ['empty', []],
      ...built.map((b) => [b.name, []] as [string, number[]]),
    ]);
    const files = [['empty', empty], ...built.map((b) => [b.name, b.file])] as const;
    for (let i = 0; i < options.processes; i++) {
      for (const [name, file] of files) times.get(name)?.push(await importMs(file));
    }
    const emptyMs = median(times.get('empty') ?? []);
    const functions = {} as Record<LambdaFunctionName, FunctionColdStart>;
    for (const b of built) {
      const ms = median(times.get(b.name) ?? []);
      functions[b.name] = {
        bundleBytes: b.bytes,
        bundleKiB: round(b.bytes / 1024, 1),
        awsClients: awsClientsIn(b.metafile),
        loadOverheadMs: round(ms - emptyMs, 1),
        loadMedianMs: round(ms, 1),
      };
    }
    return { processes: options.processes, emptyModuleMedianMs: round(emptyMs, 1), functions };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
