// `npm run build`: every Lambda function bundled through the one build definition (infra/bundle.ts) into
// dist/<function>/index.mjs with its source map, and each bundle's size and AWS clients printed.
import { rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Metafile } from 'esbuild';
import { bundleFunctionSync, FUNCTION_NAMES, type LambdaFunctionName, ROOT } from './bundle.ts';

export const DIST = join(ROOT, 'dist');

export interface BuiltFunction {
  name: LambdaFunctionName;
  file: string;
  bytes: number;
  metafile: Metafile;
}

/**
 * The `@aws-sdk/client-*` packages whose code is in a bundle's output. `metafile.inputs` would also list
 * modules esbuild read but tree shaking removed entirely, so this reads what each output holds.
 *
 * @example
 * awsClientsIn(built.metafile); // ['client-dynamodb', 'client-kms']
 */
export function awsClientsIn(metafile: Metafile): string[] {
  const clients = new Set<string>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const match = /node_modules\/@aws-sdk\/(client-[a-z0-9-]+)\//.exec(input);
      if (match?.[1] !== undefined && bytesInOutput > 0) clients.add(match[1]);
    }
  }
  return [...clients].sort();
}

/**
 * Bundles every function into `<outRoot>/<name>/` (emptied first).
 *
 * @example
 * const built = buildAll('dist'); // [{ name: 'issue', file: 'dist/issue/index.mjs', bytes, metafile }, …]
 */
export function buildAll(outRoot: string = DIST, names: readonly LambdaFunctionName[] = FUNCTION_NAMES) {
  return names.map((name): BuiltFunction => {
    const outdir = join(outRoot, name);
    rmSync(outdir, { recursive: true, force: true });
    const result = bundleFunctionSync(name, outdir);
    if (result.errors.length > 0 || result.metafile === undefined) {
      throw new Error(`bundling ${name} failed: ${result.errors.map((e) => e.text).join('; ')}`);
    }
    const file = join(outdir, 'index.mjs');
    return { name, file, bytes: statSync(file).size, metafile: result.metafile };
  });
}

function main(): void {
  const built = buildAll();
  for (const { name, file, bytes, metafile } of built) {
    const clients = awsClientsIn(metafile);
    const size = `${(bytes / 1024).toFixed(1)} KiB`.padStart(10);
    const line = `${name.padEnd(11)}${size}  ${relative(ROOT, file)}  AWS clients: ${clients.join(', ') || 'none'}`;
    process.stdout.write(`${line}\n`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
