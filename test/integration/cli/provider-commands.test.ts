// `tessera providers put|list|get|delete` and `tessera token exchange`, in-process against the local server
// over real HTTP: the body from a file or stdin (never an option), human and --json output, exit codes.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { jwtVerify } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../../functions/cli/main.ts';
import { providerBodies } from '../../helpers/providers.ts';
import { type Seed, seedThroughApi } from '../../helpers/server.ts';
import { useTestServer } from '../../helpers/use-test-server.ts';
import { runTessera } from './cli-run.ts';

describe('tessera providers and token exchange', () => {
  const server = useTestServer();
  let seed: Seed;
  let env: Record<string, string>;

  beforeAll(async () => {
    seed = await seedThroughApi(server);
    env = { TESSERA_URL: server.url, TESSERA_SERVER_TOKEN: seed.serverToken };
  });

  it('puts a provider from a file and from stdin, lists, shows and deletes it, never printing its secret', async () => {
    const bodies = providerBodies();
    const file = join(server.dataDir, 'twilio.json');
    await writeFile(file, JSON.stringify(bodies.twilio));
    const put = await runTessera(['providers', 'put', 'video', '--file', file], env);
    expect([put.code, put.stdout.split('\n')[0]]).toEqual([EXIT.OK, 'Created twilio provider video']);
    const piped = await runTessera(['providers', 'put', 'chat', '--file', '-', '--json'], env, {
      input: [JSON.stringify(bodies.stream)],
    });
    expect(piped.code).toBe(EXIT.OK);
    expect(JSON.parse(piped.stdout)).toMatchObject({ providerId: 'chat', type: 'stream', ttl: null });

    const listed = await runTessera(['providers', 'list'], env);
    expect(listed.stdout).toMatch(/^2 provider\(s\)\n {2}providerId +type +ttl +createdAt\n {2}chat +stream/);
    const shown = await runTessera(['providers', 'get', 'video', '--json'], env);
    expect(JSON.parse(shown.stdout)).toMatchObject({ accountSid: bodies.twilio.accountSid });
    const everything = [put, piped, listed, shown].map((r) => r.stdout + r.stderr).join('');
    expect(everything).not.toContain(bodies.twilio.apiKeySecret);
    expect(everything).not.toContain(bodies.stream.apiSecret);

    const deleted = await runTessera(['providers', 'delete', 'video', '--yes'], env);
    expect([deleted.code, deleted.stdout]).toEqual([EXIT.OK, 'Deleted provider video.\n']);
    const gone = await runTessera(['providers', 'get', 'video'], env);
    expect([gone.code, gone.stderr]).toEqual([EXIT.REFUSED, expect.stringContaining('PROVIDER_NOT_FOUND')]);
  });

  it('exchanges a user token (an argument or stdin) for a provider token', async () => {
    const body = providerBodies().stream;
    await server.call('PUT', `/v1/ecosystems/${seed.ecosystemId}/providers/chat`, {
      bearer: seed.serverToken,
      body,
    });
    const issued = await runTessera(['token', 'create', 'alice', '--json'], env);
    const { token } = JSON.parse(issued.stdout) as { token: string };
    const exchanged = await runTessera(['token', 'exchange', token, 'chat', '--json'], {
      TESSERA_URL: server.url,
    });
    expect(exchanged.code).toBe(EXIT.OK);
    const answer = JSON.parse(exchanged.stdout) as { token: string };
    expect((await jwtVerify(answer.token, Buffer.from(body.apiSecret))).payload.user_id).toBe('alice');
    const fromStdin = await runTessera(
      ['token', 'exchange', '-', 'chat'],
      { TESSERA_URL: server.url },
      {
        input: [`${token}\n`],
      },
    );
    expect(fromStdin.stdout.split('\n')[0]).toBe('stream token from provider chat');
    const unknown = await runTessera(['token', 'exchange', token, 'none'], { TESSERA_URL: server.url });
    expect([unknown.code, unknown.stderr]).toEqual([
      EXIT.REFUSED,
      expect.stringContaining('PROVIDER_NOT_FOUND'),
    ]);
  });

  it('refuses a provider given any other way than a JSON file (exit 2)', async () => {
    const missing = await runTessera(['providers', 'put', 'chat'], env);
    expect([missing.code, missing.stderr]).toEqual([EXIT.USAGE, expect.stringContaining('--file')]);
    const notJson = await runTessera(['providers', 'put', 'chat', '--file', '-'], env, { input: ['{nope'] });
    expect([notJson.code, notJson.stderr]).toEqual([EXIT.USAGE, expect.stringContaining('JSON')]);
    const secretAsOption = await runTessera(['providers', 'put', 'chat', '--api-secret', 'x'], env);
    expect(secretAsOption.code).toBe(EXIT.USAGE);
  });
});
