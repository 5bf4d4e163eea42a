// docs/cli.md's copy-paste session, run as written with bash and `npx tessera` against the local server.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { TEST_ACCOUNT_TOKEN } from '../../helpers/deps.ts';
import { useTestServer } from '../../helpers/use-test-server.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');

describe('docs/cli.md', () => {
  const server = useTestServer();

  it('runs the session as written', async () => {
    const doc = await readFile(join(ROOT, 'docs', 'cli.md'), 'utf8');
    const session = /```bash\n(json\(\)[\s\S]*?)```/.exec(doc)?.[1];
    expect(session).toContain('npx tessera');
    const { stdout, stderr } = await promisify(execFile)('bash', ['-eo', 'pipefail', '-c', session ?? ''], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        TESSERA_URL: server.url,
        TESSERA_ACCOUNT_TOKEN: TEST_ACCOUNT_TOKEN,
      },
    });
    expect(stdout).toContain('Created user alice in ecosystem');
    expect(stdout).toMatch(/Valid: user alice of ecosystem [0-9a-f]+/);
    expect(stderr).toContain('tessera: TOKEN_REVOKED:');
    expect(stdout).toContain('exit 1');
    expect(stdout).toContain('Revoked.');
    expect(stdout).toContain('1 signing key(s)');
  }, 90_000); // a dozen `npx tessera` processes, each starting Node and tsx: seconds each on a loaded machine
});
