// `tessera usage`, run in-process against the local server: the readable table with a sparkline per series,
// --json with the API's own answer, and the mistakes it refuses before calling.
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../../functions/cli/main.ts';
import { sparkline } from '../../../functions/cli/usage-view.ts';
import { runCliCaptured } from '../../helpers/cli.ts';
import { frozenClock } from '../../helpers/clock.ts';
import { seedThroughApi } from '../../helpers/server.ts';
import { useTestServer } from '../../helpers/use-test-server.ts';

describe('sparkline', () => {
  it('scales bars to the largest value, and draws all-zero as the lowest bar', () => {
    expect(sparkline([0, 1, 2, 8])).toBe('▁▂▃█');
    expect(sparkline([0, 0, 0])).toBe('▁▁▁');
  });

  it('sums a long range into at most 60 columns', () => {
    const line = sparkline(Array.from({ length: 366 }, (_, i) => (i === 365 ? 9 : 0)));
    expect(line).toHaveLength(53); // 7 days a column
    expect(line.endsWith('█')).toBe(true);
  });
});

describe('tessera usage', () => {
  const clock = frozenClock(Date.parse('2030-03-10T08:00:00Z') / 1000);
  let eco: { ecosystemId: string; serverToken: string };

  const server = useTestServer({ clock });

  beforeAll(async () => {
    eco = await seedThroughApi(server);
    const path = `/v1/ecosystems/${eco.ecosystemId}/users/alice/tokens?expiryType=Infinite`;
    const { body } = await server.call('POST', path, { bearer: eco.serverToken });
    for (let i = 0; i < 3; i++)
      await server.call('POST', '/v1/tokens/verify', { body: { token: body.token } });
    await server.call('POST', '/v1/tokens/verify', { body: { token: `${body.token.slice(0, -4)}AAAA` } });
  });

  function run(argv: string[]) {
    return runCliCaptured(argv, { TESSERA_URL: server.url, TESSERA_SERVER_TOKEN: eco.serverToken });
  }

  it('prints the month, a sparkline per series and a row per day', async () => {
    const { code, stdout } = await run(['usage', '--from', '2030-03-08', '--to', '2030-03-10']);
    expect(code).toBe(EXIT.OK);
    expect(stdout).toContain(`Usage of ecosystem ${eco.ecosystemId}, 2030-03-08 to 2030-03-10 (UTC days)`);
    expect(stdout).toMatch(/Monthly active identities\n {2}2030-03 {2}1\n/);
    expect(stdout).toMatch(/ {2}verified +3 {2}▁▁█\n/);
    expect(stdout).toMatch(/ {2}refused TOKEN_SIGNATURE_INVALID +1 {2}▁▁█\n/);
    expect(stdout).toMatch(/ {2}no identity +1 {2}▁▁█\n/);
    expect(stdout).toMatch(/ {2}2030-03-10 +1 +1 +3 +0 +0 +1 +1\n?$/);
    expect(stdout.split('\n').filter((l) => /^ {2}2030-03-\d\d /.test(l))).toHaveLength(3);
  });

  it('prints the API answer with --json, the last 30 days by default', async () => {
    const { code, stdout } = await run(['usage', '--ecosystem', eco.ecosystemId, '--json']);
    expect(code).toBe(EXIT.OK);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ ecosystemId: eco.ecosystemId, from: '2030-02-09', to: '2030-03-10' });
    expect(report.days).toHaveLength(30);
    expect(report.days.at(-1)).toMatchObject({ verified: 3, issued: 1, noIdentity: 1 });
  });

  it('refuses --from without --to as a usage error, and a bad date with the API code', async () => {
    const half = await run(['usage', '--from', '2030-03-01']);
    expect(half.code).toBe(EXIT.USAGE);
    expect(half.stderr).toContain('--from and --to together');
    const bad = await run(['usage', '--from', '2030-02-30', '--to', '2030-03-01', '--json']);
    expect(bad.code).toBe(EXIT.REFUSED);
    expect(bad.stdout + bad.stderr).toContain('BODY_INVALID');
  });
});
