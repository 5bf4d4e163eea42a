// Target 3: cold start of every Lambda function: its minified bundle, built by the one build definition
// (infra/bundle.ts through infra/build.ts) into a temporary folder, and the time a fresh Node process takes
// to import it, median over fresh processes, minus the time to import an empty module the same way.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { buildSync, type Metafile } from 'esbuild';
import { buildAll } from '../../infra/build.ts';
import { bundleOptions, type LambdaFunctionName } from '../../infra/bundle.ts';
import { median, round } from './measure.ts';

const run = promisify(execFile);

/** Imports a module in a fresh process and prints how long the import took, in milliseconds. */
const IMPORT_TIMER =
  'const t=performance.now();await import(process.argv[1]);process.stdout.write(String(performance.now()-t));';

/**
 * What the AWS SDK's default credential chain imports lazily (`await import(...)`) and only when the
 * environment holds no credentials, which Lambda always sets: left to the runtime's own SDK, a bundle
 * would not carry them. A what-if for infra/bundle.ts, reported beside the real size, not built into it.
 */
export const LAZY_CREDENTIAL_PROVIDERS = [
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-http',
  '@smithy/credential-provider-imds',
  '@aws-sdk/nested-clients',
];

/**
 * The `@aws-sdk/client-*` packages whose code is in the bundle's output. Unlike `metafile.inputs`, which lists
 * every module esbuild read, this leaves out a client whose code tree shaking removed entirely.
 *
 * @example
 * awsClientsInOutput(built.metafile); // ['client-dynamodb', 'client-kms']
 */
export function awsClientsInOutput(metafile: Metafile): string[] {
  const clients = new Set<string>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const match = /node_modules\/@aws-sdk\/(client-[a-z0-9-]+)\//.exec(input);
      if (match?.[1] !== undefined && bytesInOutput > 0) clients.add(match[1]);
    }
  }
  return [...clients].sort();
}

/** The size a bundle would have with the lazy credential providers external (not written anywhere). */
function bytesWithoutLazyProviders(name: LambdaFunctionName, outdir: string): number {
  const result = buildSync({
    ...bundleOptions(name, outdir),
    external: LAZY_CREDENTIAL_PROVIDERS,
    write: false,
  });
  return result.outputFiles?.find((file) => file.path.endsWith('.mjs'))?.contents.length ?? 0;
}

export interface FunctionColdStart {
  bundleBytes: number;
  bundleKiB: number;
  awsClients: string[];
  /** What-if: the bundle's bytes with LAZY_CREDENTIAL_PROVIDERS left to the Lambda runtime. */
  bundleBytesWithoutLazyCredentialProviders: number;
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
        awsClients: awsClientsInOutput(b.metafile),
        bundleBytesWithoutLazyCredentialProviders: bytesWithoutLazyProviders(
          b.name,
          join(dir, 'what-if', b.name),
        ),
        loadOverheadMs: round(ms - emptyMs, 1),
        loadMedianMs: round(ms, 1),
      };
    }
    return { processes: options.processes, emptyModuleMedianMs: round(emptyMs, 1), functions };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
