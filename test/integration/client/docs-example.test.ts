// docs/client.md's HTTP example, run as written: its first TypeScript block, evaluated by tsx in this
// repository against the local server, the package name read as the repository's own export `tessera/client`
// (the source), so it needs no `npm run build:packages` first.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { TEST_ACCOUNT_TOKEN } from '../../helpers/deps.ts';
import { useTestServer } from '../../helpers/use-test-server.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

describe('docs/client.md', () => {
  const server = useTestServer();

  it('runs the HTTP example as written', async () => {
    const doc = await readFile(join(ROOT, 'docs', 'client.md'), 'utf8');
    const example = /```ts\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example).toContain("from '@tessera-tokens/client'");
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        TSX,
        '--input-type=module',
        '-e',
        (example ?? '').replaceAll("'@tessera-tokens/client'", "'tessera/client'"),
      ],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH, TESSERA_URL: server.url, TESSERA_ACCOUNT_TOKEN: TEST_ACCOUNT_TOKEN },
      },
    );
    expect(stdout.trim().split('\n')).toEqual(["alice { plan: 'pro' }", 'TOKEN_REVOKED 401']);
  });
});
