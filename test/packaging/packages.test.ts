// The npm packages as a user gets them: built by the build step, packed by npm, installed from the
// tarballs into a fresh project outside the repository, then imported from plain Node, type-checked
// strictly, bundled for a browser, and the installed `tessera` bin run against a local server.
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPackages, CLI_DIR, CLIENT_DIR } from '../../infra/build-packages.ts';
import { TEST_ACCOUNT_TOKEN } from '../helpers/deps.ts';
import { useTestServer } from '../helpers/use-test-server.ts';
import { BROWSER_APP, CONSUMER_PROJECTS, makeConsumer, npmEnv, type Run, run } from './consumer.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/** What a tarball may hold: the built JavaScript and declarations, the manifest and the three docs. */
const PACKED = {
  client: [
    /^dist\/(index|browser)\.js$/,
    /^dist\/chunks\/chunk-[A-Z0-9]+\.js$/,
    /^dist\/(index|browser)\.d\.ts$/,
  ],
  cli: [/^dist\/tessera\.js$/],
};
const DOCS = ['CHANGELOG.md', 'LICENSE', 'README.md', 'package.json'];

describe('the npm packages', () => {
  const server = useTestServer();
  let work: string;
  let consumer: string;
  const tarballs: Record<keyof typeof PACKED, string> = { client: '', cli: '' };

  beforeAll(async () => {
    // Copies of the package folders, so the build and pack never touch the working tree's dist/.
    work = await mkdtemp(join(tmpdir(), 'tessera-packages-'));
    const noDist = (source: string) => basename(source) !== 'dist' && basename(source) !== 'node_modules';
    await cp(CLIENT_DIR, join(work, 'client'), { recursive: true, filter: noDist });
    await cp(CLI_DIR, join(work, 'cli'), { recursive: true, filter: noDist });
    await buildPackages({ client: join(work, 'client', 'dist'), cli: join(work, 'cli', 'dist') });

    const packed = await run('npm', ['pack', './client', './cli', '--json', '--pack-destination', work], {
      cwd: work,
    });
    expect(packed.code, packed.stderr).toBe(0);
    const [client, cli] = JSON.parse(packed.stdout) as { filename: string }[];
    tarballs.client = join(work, client?.filename ?? '');
    tarballs.cli = join(work, cli?.filename ?? '');

    consumer = join(work, 'consumer');
    const { devDependencies } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'));
    const installed = await makeConsumer(
      consumer,
      [tarballs.client, tarballs.cli],
      devDependencies['@types/node'],
    );
    expect(installed.code, installed.stderr).toBe(0);
  }, 180_000);

  afterAll(async () => {
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });

  it('packs only the built JavaScript, its declarations, the manifest and the docs', async () => {
    for (const name of ['client', 'cli'] as const) {
      const listing = await run('tar', ['-tzf', tarballs[name]], { cwd: work });
      const files = listing.stdout
        .trim()
        .split('\n')
        .map((entry) => entry.replace(/^package\//, ''));
      expect(files.filter((file) => !DOCS.includes(file)).sort()).toEqual(
        files.filter((file) => PACKED[name].some((pattern) => pattern.test(file))).sort(),
      );
      expect(files).toEqual(expect.arrayContaining(DOCS));
      expect(files.filter((file) => /test|\.(ts|tsx|mts)$/.test(file) && !file.endsWith('.d.ts'))).toEqual(
        [],
      );
    }
  });

  it('imports the client from plain Node ESM, both entries sharing one error class', async () => {
    const script = `
      import { TesseraClient, TesseraClientError, TesseraLambdaClient, precheckToken } from '@tessera-tokens/client';
      import * as browser from '@tessera-tokens/client/browser';
      let code;
      try { precheckToken('not.a.token'); } catch (err) { code = err instanceof TesseraClientError && err.code; }
      const { keys } = await new TesseraClient({ baseUrl: process.env.TESSERA_URL }).getJwks();
      console.log(JSON.stringify({
        code, keys: keys.length, lambda: typeof TesseraLambdaClient,
        sameClass: browser.TesseraClientError === TesseraClientError, browserLambda: 'TesseraLambdaClient' in browser,
      }));`;
    const { code, stdout, stderr } = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: consumer,
      env: npmEnv({ TESSERA_URL: server.url }),
    });
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      code: 'TOKEN_STRUCTURE_INVALID',
      keys: 1,
      lambda: 'function',
      sameClass: true,
      browserLambda: false,
    });
  });

  // The compiler reads every declaration of the AWS SDK here: tens of seconds on a busy machine.
  it('type-checks a strict Node consumer and a strict browser consumer, libraries checked too', async () => {
    const results = await Promise.all(
      Object.keys(CONSUMER_PROJECTS).map((project) =>
        run(process.execPath, [TSC, '-p', project], { cwd: consumer }),
      ),
    );
    for (const { code, stdout } of results) expect(code, stdout).toBe(0);
  }, 90_000);

  it('bundles the pre-check and the offline verifier for a browser from the package name, no node: import', async () => {
    const bundled = await build({
      stdin: { contents: BROWSER_APP, resolveDir: consumer, sourcefile: 'app.js' },
      absWorkingDir: consumer,
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(bundled.metafile.inputs);
    expect(inputs).toContain('node_modules/@tessera-tokens/client/dist/browser.js');
    expect(inputs.filter((input) => /@aws-sdk|dist\/index\.js|^node:/.test(input))).toEqual([]);
    const text = bundled.outputFiles[0]?.text ?? '';
    expect(text).toContain('crypto.subtle.verify');
    expect(text).not.toMatch(/["']node:/);
  });

  describe('the installed tessera bin', () => {
    const tessera = (args: string[], env: Record<string, string> = {}, stdin?: string): Promise<Run> =>
      run(join(consumer, 'node_modules', '.bin', 'tessera'), args, {
        cwd: consumer,
        // A config folder of its own, so no login saved on this machine is read.
        env: { PATH: process.env.PATH ?? '', HOME: work, XDG_CONFIG_HOME: join(work, 'config'), ...env },
        ...(stdin === undefined ? {} : { stdin }),
      });

    it('prints its version and its help on plain Node', async () => {
      const { version } = JSON.parse(await readFile(join(CLI_DIR, 'package.json'), 'utf8'));
      expect(await tessera(['--version'])).toEqual({ code: 0, stdout: `tessera ${version}\n`, stderr: '' });
      const help = await tessera(['--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('token create');
      expect(help.stdout).toContain('ecosystem create');
    });

    it('creates an ecosystem, puts a user, issues, verifies and revokes a token, with --json', async () => {
      const account = { TESSERA_URL: server.url, TESSERA_ACCOUNT_TOKEN: TEST_ACCOUNT_TOKEN };
      const json = async (args: string[], env: Record<string, string>, stdin?: string, exit = 0) => {
        const answer = await tessera([...args, '--json'], env, stdin);
        expect(answer.code, answer.stderr).toBe(exit);
        return JSON.parse(answer.stdout);
      };
      const eco = await json(['ecosystem', 'create', '--name', 'packaged'], account);
      expect(eco).toMatchObject({ name: 'packaged', ecosystemId: expect.any(String) });
      const asServer = { TESSERA_URL: server.url, TESSERA_SERVER_TOKEN: eco.serverToken };

      const user = await json(['user', 'put', 'alice', '--metadata', '{"plan":"pro"}'], asServer);
      expect(user).toMatchObject({ userId: 'alice', metadata: { plan: 'pro' } });
      const issued = await json(
        ['token', 'create', 'alice', '--expiry-type', 'FixedTtl', '--ttl', '900'],
        asServer,
      );
      expect(issued).toMatchObject({ expiryType: 'FixedTtl', ttl: 900, token: expect.any(String) });

      const urlOnly = { TESSERA_URL: server.url };
      const verified = await json(['token', 'verify', '-'], urlOnly, issued.token);
      expect(verified).toMatchObject({ valid: true, userId: 'alice', ecosystemId: eco.ecosystemId });
      expect(await json(['token', 'revoke', '-'], urlOnly, issued.token)).toEqual({ revoked: true });
      const refused = await json(['token', 'verify', '-'], urlOnly, issued.token, 1);
      expect(refused.error.code).toBe('TOKEN_REVOKED');
    });
  });
});
