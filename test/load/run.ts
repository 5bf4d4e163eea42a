// `npm run test:load`: `npm start`'s server in a child process (own data folder, ephemeral loopback port),
// 60 s of mixed issue/verify/refresh/revoke at bounded concurrency, then every held token checked. Prints
// the rate, the answers, lost tokens and the server's RSS before and after; exits 1 on any 5xx or loss.
//
//   npm run test:load                  60 s, 16 requests in flight
//   npm run test:load -- --seconds 10 --concurrency 32
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { startChild, stopChild } from '../helpers/child-server.ts';
import { makeDataDir, removeDataDir } from '../helpers/server.ts';
import { runMixedLoad } from './mixed-load.ts';

/** Resident memory of a process, in MiB, from /proc (Linux); undefined elsewhere. */
async function rssMiB(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kib = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kib === undefined ? undefined : Math.round(Number(kib) / 102.4) / 10;
  } catch {
    return undefined;
  }
}

/** Starts the local server as `npm start` does, on port 0, and answers its URL once it listens. */
async function startServer(
  dataDir: string,
  accountToken: string,
): Promise<{ child: ChildProcess; url: string }> {
  return startChild(['functions/local/main.ts'], {
    PORT: '0',
    TESSERA_DATA_DIR: dataDir,
    TESSERA_ACCOUNT_TOKEN: accountToken,
    // The per-request INFO line would make this a benchmark of the terminal; warnings and errors stay.
    POWERTOOLS_LOG_LEVEL: 'WARN',
  });
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { seconds: { type: 'string', default: '60' }, concurrency: { type: 'string', default: '16' } },
  });
  const seconds = Number(values.seconds);
  const concurrency = Number(values.concurrency);
  const dataDir = await makeDataDir();
  const accountToken = `tsa_${randomBytes(32).toString('base64url')}`;
  const { child, url } = await startServer(dataDir, accountToken);
  try {
    // A short warm-up so "before" is measured on a server that has compiled its hot paths.
    await runMixedLoad({ url, accountToken, durationMs: 2000, concurrency, users: 5 });
    const before = await rssMiB(child.pid);
    process.stdout.write(
      `Load: ${seconds} s, ${concurrency} in flight, against ${url} (server RSS ${before} MiB)\n`,
    );
    const report = await runMixedLoad({
      url,
      accountToken,
      durationMs: seconds * 1000,
      concurrency,
      onProgress: (done) => process.stdout.write(`\r  ${done} requests`),
    });
    const after = await rssMiB(child.pid);
    const lines = [
      '',
      `requests        ${report.requests} in ${report.seconds.toFixed(1)} s = ${report.rate.toFixed(0)} req/s`,
      `by operation    ${Object.entries(report.byOp)
        .map(([op, n]) => `${op} ${n}`)
        .join(', ')}`,
      `answers         ${Object.entries(report.statuses)
        .map(([s, n]) => `${s}: ${n}`)
        .join(', ')}`,
      `5xx / failed    ${report.serverErrors}`,
      `lost tokens     ${report.lostTokens} (of ${report.liveTokensChecked} live tokens checked afterwards)`,
      `resurrected     ${report.resurrected} (of ${report.deadTokensChecked} revoked or rotated tokens)`,
      `server RSS      ${before} MiB before, ${after} MiB after`,
    ];
    if (report.unexpected.length > 0)
      lines.push('unexpected      ', ...report.unexpected.map((u) => `  ${u}`));
    process.stdout.write(`${lines.join('\n')}\n`);
    const passed = report.serverErrors === 0 && report.lostTokens === 0 && report.resurrected === 0;
    process.stdout.write(passed ? 'PASS\n' : 'FAIL\n');
    return passed ? 0 : 1;
  } finally {
    await stopChild(child);
    await removeDataDir(dataDir);
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(
      `The load test could not run: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    process.exit(1);
  },
);
