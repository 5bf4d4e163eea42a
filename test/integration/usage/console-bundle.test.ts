// The console as the deployed keys function serves it: the keys bundle, built by the one build definition,
// carries the console's files beside it and answers GET /console/ and its assets in a fresh Node process.
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFunctionSync } from '../../../infra/bundle.ts';
import { TEST_ACCOUNT_TOKEN } from '../../helpers/deps.ts';
import { makeDataDir, removeDataDir } from '../../helpers/server.ts';
import { httpApiEvent } from '../../unit/http/fixture-events.ts';

const run = promisify(execFile);
const RUNNER = `const { handler } = await import(process.argv[2]);
process.stdout.write(JSON.stringify(await handler(JSON.parse(process.argv[3]), {})));
`;

describe('the keys bundle serving the console', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await makeDataDir();
    await writeFile(join(dir, 'runner.mjs'), RUNNER);
    bundleFunctionSync('keys', join(dir, 'keys'));
  }, 120_000);
  afterAll(() => removeDataDir(dir));

  async function get(path: string) {
    const event = httpApiEvent('GET', path);
    const { stdout } = await run(
      process.execPath,
      [join(dir, 'runner.mjs'), join(dir, 'keys', 'index.mjs'), JSON.stringify(event)],
      {
        env: {
          PATH: process.env.PATH,
          TESSERA_DATA_DIR: join(dir, 'data'),
          TESSERA_ACCOUNT_TOKEN: TEST_ACCOUNT_TOKEN,
          NODE_NO_WARNINGS: '1',
          POWERTOOLS_METRICS_DISABLED: 'true',
          POWERTOOLS_LOG_LEVEL: 'SILENT',
        },
        timeout: 30_000,
      },
    );
    return JSON.parse(stdout) as { statusCode: number; headers: Record<string, string>; body: string };
  }

  it('answers each console file as it is in the repository, with its content type', async () => {
    for (const [path, file, type] of [
      ['/console/', 'index.html', 'text/html; charset=utf-8'],
      ['/console/console.js', 'console.js', 'text/javascript; charset=utf-8'],
      ['/console/console.css', 'console.css', 'text/css; charset=utf-8'],
    ] as const) {
      const answer = await get(path);
      expect(answer.statusCode).toBe(200);
      expect(answer.headers['content-type']).toBe(type);
      expect(answer.body).toBe(
        await readFile(join(import.meta.dirname, '../../../functions/console', file), 'utf8'),
      );
    }
  });
});
