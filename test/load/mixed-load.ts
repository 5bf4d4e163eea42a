// Mixed issue/verify/refresh/revoke traffic against a running Tessera, at bounded concurrency for a given
// time, keeping every token it holds so that, afterwards, each one can be checked: still valid unless it
// was revoked or rotated away. Shared by `npm run test:load` and the short test in test/hardening.

export interface LoadOptions {
  /** Base URL of a running server, e.g. http://127.0.0.1:54321 */
  url: string;
  accountToken: string;
  durationMs: number;
  /** Requests in flight at once. */
  concurrency: number;
  users?: number;
  /** Called about once a second with the requests done so far. */
  onProgress?: (done: number) => void;
}

type Op = 'issue' | 'verify' | 'refresh' | 'revoke';

export interface LoadReport {
  requests: number;
  seconds: number;
  /** Requests per second over the timed phase. */
  rate: number;
  byOp: Record<Op, number>;
  /** Answers by status, over the timed phase. */
  statuses: Record<string, number>;
  serverErrors: number;
  /** Live tokens (neither revoked nor rotated) that answered anything but 200 during or after the run. */
  lostTokens: number;
  /** Answers other than the expected ones during the run (a 401 on a live token, a refused issue...). */
  unexpected: string[];
  liveTokensChecked: number;
  /** Revoked or rotated-away tokens that still verified afterwards (must be 0). */
  resurrected: number;
  deadTokensChecked: number;
}

interface Held {
  token: string;
  tokenId: string;
}

const EXPIRY = ['expiryType=Infinite', 'expiryType=FixedTtl&ttl=86400', 'expiryType=SlidingTtl&ttl=86400'];

/** One weighted draw: mostly verifies, as in real traffic, with a steady stream of issues and refreshes. */
function pickOp(random: number, held: number): Op {
  if (held < 20 || random < 0.25) return 'issue';
  if (random < 0.7) return 'verify';
  if (random < 0.95) return 'refresh';
  return 'revoke';
}

/**
 * Runs the mixed load and the check after it.
 *
 * @example
 * const report = await runMixedLoad({ url: server.url, accountToken, durationMs: 3000, concurrency: 8 });
 * // report.serverErrors === 0 && report.lostTokens === 0
 */
export async function runMixedLoad(options: LoadOptions): Promise<LoadReport> {
  const post = async (path: string, body?: unknown, bearer?: string) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (bearer !== undefined) headers.authorization = `Bearer ${bearer}`;
    const response = await fetch(`${options.url}${path}`, {
      method: 'POST',
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
  };
  const put = async (path: string, body: unknown, bearer: string) => {
    const response = await fetch(`${options.url}${path}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
      body: JSON.stringify(body),
    });
    await response.text();
    return response.status;
  };

  const created = await post('/v1/ecosystems', { name: 'load' }, options.accountToken);
  if (created.status !== 201) throw new Error(`could not create the load ecosystem: ${created.status}`);
  const { ecosystemId, serverToken } = created.body as { ecosystemId: string; serverToken: string };
  const users = Array.from({ length: options.users ?? 20 }, (_, i) => `load-user-${i}@example.com`);
  for (const user of users) {
    const status = await put(
      `/v1/ecosystems/${ecosystemId}/users/${user}`,
      { metadata: { n: user } },
      serverToken,
    );
    if (status !== 201) throw new Error(`could not create user ${user}: ${status}`);
  }

  const live: Held[] = [];
  const dead: Held[] = [];
  const statuses: Record<string, number> = {};
  const byOp: Record<Op, number> = { issue: 0, verify: 0, refresh: 0, revoke: 0 };
  const unexpected: string[] = [];
  let lostTokens = 0;
  let requests = 0;
  const note = (op: Op, status: number, expected: number, detail = '') => {
    requests++;
    byOp[op]++;
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (status !== expected && unexpected.length < 50) unexpected.push(`${op} answered ${status} ${detail}`);
  };

  /** Takes a random held token out of the pool, so no two requests use one at once. */
  const checkout = (): Held | undefined => {
    if (live.length === 0) return undefined;
    const i = Math.floor(Math.random() * live.length);
    const [held] = live.splice(i, 1);
    return held;
  };

  const step = async (): Promise<void> => {
    const op = pickOp(Math.random(), live.length);
    const held = op === 'issue' ? undefined : checkout();
    if (op === 'issue' || held === undefined) {
      const user = users[Math.floor(Math.random() * users.length)];
      const expiry = EXPIRY[Math.floor(Math.random() * EXPIRY.length)];
      const answer = await post(
        `/v1/ecosystems/${ecosystemId}/users/${user}/tokens?${expiry}`,
        {},
        serverToken,
      );
      note('issue', answer.status, 200);
      if (answer.status === 200) live.push({ token: answer.body.token, tokenId: answer.body.tokenId });
      return;
    }
    if (op === 'verify') {
      const answer = await post('/v1/tokens/verify', { token: held.token });
      note(op, answer.status, 200, answer.body?.error?.code);
      if (answer.status === 200) live.push(held);
      else if (answer.status < 500) lostTokens++;
      else live.push(held); // a 5xx is counted as such; the token is checked again at the end
      return;
    }
    if (op === 'refresh') {
      const answer = await post('/v1/tokens/refresh', { token: held.token });
      note(op, answer.status, 200, answer.body?.error?.code);
      if (answer.status === 200) {
        dead.push(held);
        live.push({ token: answer.body.token, tokenId: answer.body.tokenId });
      } else if (answer.status < 500) {
        lostTokens++;
      } else {
        live.push(held);
      }
      return;
    }
    const answer = await post('/v1/tokens/revoke', { token: held.token });
    note(op, answer.status, 204);
    if (answer.status === 204) dead.push(held);
    else live.push(held);
  };

  const started = performance.now();
  const deadline = started + options.durationMs;
  let lastProgress = started;
  const worker = async () => {
    while (performance.now() < deadline) {
      try {
        await step();
      } catch (err) {
        requests++;
        statuses.network = (statuses.network ?? 0) + 1;
        if (unexpected.length < 50) unexpected.push(`request failed: ${(err as Error).message}`);
      }
      if (options.onProgress !== undefined && performance.now() - lastProgress > 1000) {
        lastProgress = performance.now();
        options.onProgress(requests);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;

  // Afterwards: every live token still verifies; every revoked or rotated one does not.
  let resurrected = 0;
  const checkAll = async (tokens: Held[], expectValid: boolean) => {
    for (let i = 0; i < tokens.length; i += options.concurrency) {
      const batch = tokens.slice(i, i + options.concurrency);
      const answers = await Promise.all(
        batch.map((held) => post('/v1/tokens/verify', { token: held.token })),
      );
      for (const answer of answers) {
        if (expectValid && answer.status !== 200) lostTokens++;
        if (!expectValid && answer.status === 200) resurrected++;
      }
    }
  };
  await checkAll(live, true);
  await checkAll(dead, false);

  const serverErrors = Object.entries(statuses)
    .filter(([status]) => status === 'network' || Number(status) >= 500)
    .reduce((sum, [, n]) => sum + n, 0);
  return {
    requests,
    seconds,
    rate: requests / seconds,
    byOp,
    statuses,
    serverErrors,
    lostTokens,
    unexpected,
    liveTokensChecked: live.length,
    resurrected,
    deadTokensChecked: dead.length,
  };
}
