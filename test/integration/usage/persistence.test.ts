// Usage counts survive a restart of the local server: stopping it writes the counts held in memory, and the
// embedded store's data folder keeps them with the users' active months.
import { afterAll, describe, expect, it } from 'vitest';
import { frozenClock } from '../../helpers/clock.ts';
import { makeDataDir, removeDataDir, seedThroughApi, startTestServer } from '../../helpers/server.ts';

describe('usage across a restart of the local server', () => {
  let dataDir: string;
  afterAll(() => removeDataDir(dataDir));

  it('keeps the counts held at shutdown, and does not count an active user twice after it', async () => {
    dataDir = await makeDataDir();
    const clock = frozenClock(Date.parse('2030-05-20T10:00:00Z') / 1000);
    const first = await startTestServer({ dataDir, clock });
    const eco = await seedThroughApi(first);
    const path = `/v1/ecosystems/${eco.ecosystemId}/users/alice/tokens?expiryType=Infinite`;
    const { token } = (await first.call('POST', path, { bearer: eco.serverToken })).body;
    for (let i = 0; i < 3; i++) await first.call('POST', '/v1/tokens/verify', { body: { token } });
    await first.stop(); // 5 events held in memory: fewer than a batch, so only the stop writes them

    const second = await startTestServer({ dataDir, clock });
    await second.call('POST', '/v1/tokens/verify', { body: { token } });
    const usage = await second.call(
      'GET',
      `/v1/ecosystems/${eco.ecosystemId}/usage?from=2030-05-20&to=2030-05-20`,
      {
        bearer: eco.serverToken,
      },
    );
    await second.stop();

    expect(usage.body.days[0]).toMatchObject({ issued: 1, verified: 4, newActiveIdentities: 1 });
    expect(usage.body.months).toEqual([{ month: '2030-05', activeIdentities: 1 }]);
  });
});
