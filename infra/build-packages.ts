// `npm run build:packages`: the publishable npm packages built from the sources where they live
// (functions/client, functions/cli) into packages/*/dist/: ESM JavaScript by esbuild and, for the client,
// one declaration file per entry rolled up from the compiler's output.
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateDtsBundle } from 'dts-bundle-generator';
import { build, type Plugin } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '..');
export const CLIENT_DIR = join(ROOT, 'packages', 'client');
export const CLI_DIR = join(ROOT, 'packages', 'cli');

/** The client's entries: `.` on Node (with the Lambda client) and the browser entry (fetch and WebCrypto). */
const CLIENT_ENTRIES = { index: 'functions/client/index.ts', browser: 'functions/client/browser.ts' };

/** The packages the client's declarations import rather than inline: its own dependencies. */
const CLIENT_TYPE_IMPORTS = ['jose', '@aws-sdk/client-lambda'];

/**
 * The client as two ESM entries sharing their modules through one chunk (code splitting), so an
 * application that loads both gets one TesseraClientError class, not two. Dependencies stay imports.
 */
async function buildClientJs(outdir: string): Promise<void> {
  await build({
    entryPoints: Object.fromEntries(
      Object.entries(CLIENT_ENTRIES).map(([name, file]) => [name, join(ROOT, file)]),
    ),
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    // Neither Node nor browser: the browser entry must run in both, and index differs only by its import.
    platform: 'neutral',
    target: 'es2022',
    packages: 'external',
    chunkNames: 'chunks/[name]-[hash]',
    legalComments: 'none',
    logLevel: 'warning',
  });
}

/**
 * One `.d.ts` per entry holding only what the entry exports, with the core types it names inlined. The
 * compiler's own per-file output would ship the whole domain (dependencies, ports, the node:crypto
 * codec), so a browser project would need @types/node to type-check it; no `/// <reference types>` is
 * allowed in, which keeps that out.
 */
function buildClientTypes(outdir: string): void {
  // One entry a call: given both at once, the generator spends a minute and a half reconciling names.
  for (const [name, file] of Object.entries(CLIENT_ENTRIES)) {
    const [text] = generateDtsBundle(
      [
        {
          filePath: join(ROOT, file),
          libraries: { importedLibraries: CLIENT_TYPE_IMPORTS, allowedTypesLibraries: [] },
          output: { noBanner: true, exportReferencedTypes: false },
        },
      ],
      { preferredConfigPath: join(CLIENT_DIR, 'tsconfig.json') },
    );
    if (text === undefined) throw new Error(`no declarations for ${file}`);
    writeFileSync(join(outdir, `${name}.d.ts`), text);
  }
}

/**
 * The CLI's imports of its client (`../client/*.ts`) become imports of the client package, which it
 * depends on at the same version. It takes the browser entry: the same HTTP client, without loading the
 * AWS SDK that the Node entry's Lambda client imports, which would slow every command's start.
 */
const clientAsPackage: Plugin = {
  name: 'client-as-package',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/client\// }, () => ({
      path: '@tessera-tokens/client/browser',
      external: true,
    }));
    // The launcher registers tsx so Node can load TypeScript; the bundle is JavaScript already.
    b.onResolve({ filter: /^tsx\/esm\/api$/ }, () => ({ path: 'tsx', namespace: 'no-tsx' }));
    b.onLoad({ filter: /.*/, namespace: 'no-tsx' }, () => ({ contents: 'export function register() {}' }));
  },
};

/** The CLI as one file, the repository's own launcher (functions/cli/tessera.mjs) bundled with main.ts. */
async function buildCliJs(outdir: string): Promise<void> {
  await build({
    entryPoints: [join(ROOT, 'functions', 'cli', 'tessera.mjs')],
    outfile: join(outdir, 'tessera.js'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    plugins: [clientAsPackage],
    legalComments: 'none',
    logLevel: 'warning',
  });
}

/** Every file under `dir` with its size, for the build's summary. */
function filesIn(dir: string): { file: string; bytes: number }[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((file) => statSync(file).isFile())
    .map((file) => ({ file, bytes: statSync(file).size }));
}

/** Where each package's dist/ is written. */
export interface PackageDists {
  client: string;
  cli: string;
}

/**
 * Builds both packages' dist/ (emptied first) and answers the files written. The packaging test builds
 * into copies of the package folders elsewhere, so a run never touches the working tree's dist/.
 *
 * @example
 * await buildPackages(); // [{ file: '/…/packages/client/dist/index.js', bytes: 1234 }, …]
 */
export async function buildPackages(
  dists: PackageDists = { client: join(CLIENT_DIR, 'dist'), cli: join(CLI_DIR, 'dist') },
): Promise<{ file: string; bytes: number }[]> {
  for (const dist of [dists.client, dists.cli]) {
    rmSync(dist, { recursive: true, force: true });
    mkdirSync(dist, { recursive: true });
  }
  await Promise.all([buildClientJs(dists.client), buildCliJs(dists.cli)]);
  buildClientTypes(dists.client);
  return [...filesIn(dists.client), ...filesIn(dists.cli)];
}

async function main(): Promise<void> {
  for (const { file, bytes } of await buildPackages()) {
    process.stdout.write(`${`${(bytes / 1024).toFixed(1)} KiB`.padStart(10)}  ${relative(ROOT, file)}\n`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
