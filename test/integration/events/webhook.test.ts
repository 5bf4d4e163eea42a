// The local events webhook against a receiver on loopback: each event POSTed as its events.jsonl line with
// an HMAC-SHA256 signature the receiver checks itself, retried with backoff through failures, bounded, and
// never in the way of the request whose change it reports.
import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { TesseraEvent } from '../../../functions/core/events.ts';
import { DEFAULT_WEBHOOK_RETRY } from '../../../functions/local/events-webhook.ts';
import { type LocalEvents, localEventsFor } from '../../../functions/local/local-events.ts';
import { readConfig } from '../../../functions/runtime/config.ts';
import { TEST_ACCOUNT_TOKEN } from '../../helpers/deps.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';

const SECRET = 'webhook-key-for-tests-0123456789';

interface Delivery {
  body: string;
  signature: string | undefined;
  contentType: string | undefined;
}

/** A webhook receiver: `answer` decides each request's fate by its attempt number for that body. */
async function startReceiver(answer: (attempt: number, response: ServerResponse) => void) {
  const deliveries: Delivery[] = [];
  const attempts = new Map<string, number>();
  const server = createServer(async (request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    deliveries.push({
      body,
      signature: request.headers['x-tessera-signature'] as string | undefined,
      contentType: request.headers['content-type'],
    });
    const attempt = (attempts.get(body) ?? 0) + 1;
    attempts.set(body, attempt);
    answer(attempt, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/tessera-events`,
    deliveries,
    attemptsOf: (body: string) => attempts.get(body) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type Receiver = Awaited<ReturnType<typeof startReceiver>>;
const running: { server?: TestServer; events?: LocalEvents; receiver?: Receiver } = {};

afterEach(async () => {
  await running.events?.close(0);
  await running.server?.stop();
  await running.receiver?.close();
  running.events = running.server = running.receiver = undefined;
});

/** The local server on the embedded store with the webhook on, wired as `npm start` wires it. */
async function serve(receiver: Receiver, retry: { attempts?: number } = {}) {
  const env = { TESSERA_EVENTS_WEBHOOK: receiver.url, TESSERA_EVENTS_WEBHOOK_SECRET: SECRET };
  const server = await startTestServer({ env });
  const config = readConfig({ ...env, TESSERA_DATA_DIR: server.dataDir });
  const warnings: string[] = [];
  const events = localEventsFor(config, server.local.store, {
    retry: { firstDelayMs: 20, ...retry },
    warn: (line) => warnings.push(line),
  });
  if (events === undefined) throw new Error('no local events on the embedded store');
  Object.assign(running, { server, events, receiver });
  return { server, events, warnings };
}

const expectedSignature = (body: string) =>
  `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;

async function linesOf(events: LocalEvents): Promise<string[]> {
  return (await readFile(events.file, 'utf8')).trimEnd().split('\n');
}

describe('the local events webhook', () => {
  it('POSTs each event as its events.jsonl line, signed sha256=<hex HMAC of the body>, retried until delivered', async () => {
    // Each event: a 503, then a dropped connection, then 200.
    const receiver = await startReceiver((attempt, response) => {
      if (attempt === 1) response.writeHead(503).end();
      else if (attempt === 2) response.socket?.destroy();
      else response.writeHead(204).end();
    });
    const { server, events, warnings } = await serve(receiver);

    const eco = await server.call('POST', '/v1/ecosystems', { bearer: TEST_ACCOUNT_TOKEN, body: {} });
    const path = `/v1/ecosystems/${eco.body.ecosystemId}/server-tokens`;
    const second = await server.call('POST', path, { bearer: eco.body.serverToken });
    await server.call('DELETE', `${path}/${second.body.serverTokenId}`, { bearer: eco.body.serverToken });
    await server.local.store.flush();
    await events.flush();

    const lines = await linesOf(events);
    expect(lines.map((l) => (JSON.parse(l) as TesseraEvent).type)).toEqual([
      'server_token.created',
      'server_token.created',
      'server_token.deleted',
    ]);
    // In order, three tries each, the same bytes and signature every time.
    expect(receiver.deliveries.map((d) => d.body)).toEqual(lines.flatMap((l) => [l, l, l]));
    for (const delivery of receiver.deliveries) {
      expect(delivery.signature).toBe(expectedSignature(delivery.body));
      expect(delivery.contentType).toBe('application/json');
    }
    expect(warnings).toEqual([]);
    const text = receiver.deliveries.map((d) => d.body).join('\n');
    for (const secret of [SECRET, eco.body.serverToken, second.body.serverToken, TEST_ACCOUNT_TOKEN]) {
      expect(text).not.toContain(secret);
    }
  });

  it('answers the request while the webhook still waits on the receiver', async () => {
    let release: (() => void) | undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const receiver = await startReceiver((_attempt, response) => {
      void held.then(() => response.writeHead(200).end());
    });
    const { server, events } = await serve(receiver);

    const eco = await server.call('POST', '/v1/ecosystems', { bearer: TEST_ACCOUNT_TOKEN, body: {} });
    expect(eco.status).toBe(201);
    await expect.poll(() => receiver.deliveries.length).toBe(1);
    expect(receiver.attemptsOf(receiver.deliveries[0]?.body ?? '')).toBe(1); // still unanswered

    release?.();
    await events.flush();
    expect(receiver.deliveries).toHaveLength(1);
  });

  it('gives up after the stated attempts on a 5xx, and says so by id, without the body', async () => {
    const receiver = await startReceiver((_attempt, response) => response.writeHead(500).end());
    const { server, events, warnings } = await serve(receiver, { attempts: 3 });
    await server.call('POST', '/v1/ecosystems', { bearer: TEST_ACCOUNT_TOKEN, body: {} });
    await server.local.store.flush();
    await events.flush();
    expect(receiver.deliveries).toHaveLength(3);
    const [event] = (await linesOf(events)).map((l) => JSON.parse(l) as TesseraEvent);
    expect(warnings).toEqual([
      `events webhook: gave up on event ${event?.id} (server_token.created): HTTP 500`,
    ]);
    expect(DEFAULT_WEBHOOK_RETRY.attempts).toBe(5);
  });

  it('does not retry a receiver that refuses with 401', async () => {
    const receiver = await startReceiver((_attempt, response) => response.writeHead(401).end());
    const { server, events, warnings } = await serve(receiver);
    await server.call('POST', '/v1/ecosystems', { bearer: TEST_ACCOUNT_TOKEN, body: {} });
    await server.local.store.flush();
    await events.flush();
    expect(receiver.deliveries).toHaveLength(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/HTTP 401$/);
  });
});
