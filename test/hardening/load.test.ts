// The short load run inside `npm test`: a few seconds of mixed traffic against the local server, then
// every token held is checked. No timing is asserted; `npm run test:load` is the long, measured run.
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_ACCOUNT_TOKEN } from '../helpers/deps.ts';
import { useTestServer } from '../helpers/use-test-server.ts';
import { type LoadReport, runMixedLoad } from '../load/mixed-load.ts';

describe('a short mixed load on the local server', () => {
  let report: LoadReport;

  const server = useTestServer();

  beforeAll(async () => {
    report = await runMixedLoad({
      url: server.url,
      accountToken: TEST_ACCOUNT_TOKEN,
      durationMs: 3000,
      concurrency: 8,
      users: 5,
    });
  });

  it('ran every kind of request', () => {
    expect(report.byOp.issue).toBeGreaterThan(0);
    expect(report.byOp.verify).toBeGreaterThan(0);
    expect(report.byOp.refresh).toBeGreaterThan(0);
    expect(report.liveTokensChecked).toBeGreaterThan(0);
  });

  it('answered no request with a 5xx or a failed connection', () => {
    expect(report.serverErrors).toBe(0);
    expect(report.unexpected).toEqual([]);
  });

  it('lost no token: every token neither revoked nor rotated still verifies', () => {
    expect(report.lostTokens).toBe(0);
  });

  it('let no revoked or rotated token verify again', () => {
    expect(report.resurrected).toBe(0);
  });
});
