// A project of someone who installs the packages: made outside the repository, with the tarballs
// installed by npm from the registry's cache, and the files a Node or browser user would write.
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end and answers its exit code and output; never throws on a failing exit. */
export function run(
  file: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; stdin?: string },
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      args,
      { cwd: options.cwd, env: options.env ?? npmEnv(), maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : undefined;
        if (code === undefined) reject(err);
        else resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end(options.stdin ?? '');
  });
}

/**
 * This process's environment without what `npm test` adds for its own run (npm_config_local_prefix and
 * the like would point a child npm at the repository); the registry, cache and user config are kept.
 */
export function npmEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const kept = /^npm_config_(registry|cache|userconfig)$/i;
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) || kept.test(name)),
  );
  return { ...env, npm_config_update_notifier: 'false', ...extra };
}

/** A strict Node project: NodeNext resolution picks the `node` condition and its declarations. */
const NODE_CONSUMER = `import {
  type ClientErrorCode,
  isTesseraClientError,
  OfflineVerifier,
  precheckToken,
  TesseraClient,
  TesseraLambdaClient,
  type VerifiedToken,
} from '@tessera-tokens/client';
import { inspectToken } from '@tessera-tokens/client/browser';

const client = new TesseraClient({ baseUrl: 'http://127.0.0.1:3000', credential: 'tss.eco.secret' });
const lambda = new TesseraLambdaClient({ functions: { issue: 'i', verify: 'v', refresh: 'r' } });
const verifier = new OfflineVerifier({ jwksUrl: 'http://127.0.0.1:3000/.well-known/jwks.json' });

export async function describeToken(token: string): Promise<string> {
  precheckToken(token);
  const verified: VerifiedToken = await client.verifyToken(token);
  const invoked = await lambda.verifyToken(token);
  const offline = await verifier.verify(token);
  return [verified.userId, invoked.ecosystemId, offline.expiresAt, inspectToken(token).expiryType].join(' ');
}

export function codeOf(err: unknown): ClientErrorCode | undefined {
  return isTesseraClientError(err) ? err.code : undefined;
}
`;

/** A strict browser project: DOM types, no Node types at all, through the explicit browser entry. */
const BROWSER_CONSUMER = `import { OfflineVerifier, precheckToken, TesseraClient } from '@tessera-tokens/client/browser';

const verifier = new OfflineVerifier({ jwksUrl: 'https://tessera.example/.well-known/jwks.json' });

export async function logOut(token: string): Promise<string> {
  precheckToken(token);
  const { userId } = await verifier.verify(token);
  await new TesseraClient({ baseUrl: new URL('https://tessera.example') }).revokeToken(token);
  return userId;
}
`;

const STRICT = { strict: true, skipLibCheck: false, noEmit: true, target: 'es2022' };

/** The tsconfig of each consumer, by file name. */
export const CONSUMER_PROJECTS = {
  'tsconfig.node.json': {
    compilerOptions: { ...STRICT, module: 'nodenext', moduleResolution: 'nodenext', types: ['node'] },
    files: ['node-consumer.ts'],
  },
  'tsconfig.browser.json': {
    compilerOptions: {
      ...STRICT,
      module: 'esnext',
      moduleResolution: 'bundler',
      lib: ['es2022', 'dom'],
      types: [],
    },
    files: ['browser-consumer.ts'],
  },
};

/** What a browser app bundles from the package name: the pre-check and the offline verifier. */
export const BROWSER_APP = `import { OfflineVerifier, precheckToken } from '@tessera-tokens/client';

const verifier = new OfflineVerifier({ jwksUrl: '/.well-known/jwks.json' });
export async function check(token) {
  precheckToken(token);
  return verifier.verify(token);
}
`;

/**
 * Makes an empty ESM project in `dir` and installs the tarballs there (and @types/node for the Node
 * consumer), then writes the consumers' sources and tsconfigs.
 */
export async function makeConsumer(dir: string, tarballs: string[], typesNode: string): Promise<Run> {
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  await writeFile(join(dir, 'node-consumer.ts'), NODE_CONSUMER);
  await writeFile(join(dir, 'browser-consumer.ts'), BROWSER_CONSUMER);
  for (const [name, config] of Object.entries(CONSUMER_PROJECTS)) {
    await writeFile(join(dir, name), JSON.stringify(config, null, 2));
  }
  const args = ['install', '--no-audit', '--no-fund', '--prefer-offline', '--save-exact'];
  return run('npm', [...args, ...tarballs, `@types/node@${typesNode}`], { cwd: dir });
}
