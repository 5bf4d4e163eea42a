// Local mode's events: the embedded store hands over each write's change record once its snapshot is on
// disk; the same builder as the AWS events function (core/events.ts) turns them into events, each appended
// as one line to events.jsonl in the data folder and, when configured, POSTed to the webhook. None of it
// runs on a request's path: the store only queues the change records, and nothing here is awaited by it.
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EmbeddedStore } from '../adapters/embedded-store.ts';
import type { ChangeListener } from '../adapters/embedded-tables.ts';
import { eventOf, type TesseraEvent } from '../core/events.ts';
import type { RuntimeConfig } from '../runtime/config.ts';
import { EVENTS_FILE } from '../runtime/data-folder.ts';
import { type WebhookRetry, WebhookSender } from './events-webhook.ts';

export interface LocalEventsOptions {
  /** The embedded store whose writes become events. */
  store: { onChanges(listener: ChangeListener): void };
  dataDir: string;
  /** TESSERA_EVENTS_WEBHOOK and its secret, when set. */
  webhook?: { url: string; secret: string } | undefined;
  retry?: Partial<WebhookRetry>;
  /** Where trouble is reported, one line each (default: stderr). */
  warn?: (line: string) => void;
  fetch?: typeof fetch;
}

export interface LocalEvents {
  /** The events.jsonl file. */
  file: string;
  /** Resolves once every event so far is in events.jsonl and delivered (or given up) by the webhook. */
  flush(): Promise<void>;
  /** Shutdown: finishes the appends, waits at most `webhookWaitMs` for the webhook, then stops it. */
  close(webhookWaitMs?: number): Promise<void>;
}

/**
 * Starts turning the store's changes into events.
 *
 * @example
 * const events = startLocalEvents({ store, dataDir: config.dataDir, webhook: config.eventsWebhook });
 * // on shutdown, after the store's flush: await events.close();
 */
export function startLocalEvents(options: LocalEventsOptions): LocalEvents {
  const file = join(options.dataDir, EVENTS_FILE);
  const warn = options.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
  const sender =
    options.webhook === undefined
      ? undefined
      : new WebhookSender({ ...options.webhook, retry: options.retry, warn, fetch: options.fetch });
  let appending: Promise<void> = Promise.resolve();

  options.store.onChanges((changes) => {
    const events = changes.map(eventOf).filter((e): e is TesseraEvent => e !== undefined);
    if (events.length === 0) return;
    const lines = events.map((event) => `${JSON.stringify(event)}\n`).join('');
    // Appends in the order of the snapshots; the webhook gets an event once its line is written.
    appending = appending
      .then(() => appendFile(file, lines, { mode: 0o600 }))
      .then(
        () => {
          for (const event of events) sender?.enqueue(event);
        },
        (err: unknown) => warn(`events: could not append to ${file}: ${(err as Error).message}`),
      );
  });

  const flush = async () => {
    await appending;
    await sender?.idle();
  };
  return {
    file,
    flush,
    close: async (webhookWaitMs = 2000) => {
      await appending;
      if (sender === undefined) return;
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, webhookWaitMs);
      });
      await Promise.race([sender.idle(), waited]);
      clearTimeout(timer);
      sender.close();
    },
  };
}

/**
 * What `npm start` runs: events from the embedded store, with the configured webhook. Undefined on the
 * DynamoDB store, whose events come from its stream through the events function instead.
 *
 * @example
 * const events = localEventsFor(config, store); // after the store's flush at shutdown: await events?.close()
 */
export function localEventsFor(
  config: Pick<RuntimeConfig, 'dataDir' | 'eventsWebhook'>,
  store: unknown,
  options: Pick<LocalEventsOptions, 'retry' | 'warn' | 'fetch'> = {},
): LocalEvents | undefined {
  if (!(store instanceof EmbeddedStore)) return undefined;
  return startLocalEvents({ ...options, store, dataDir: config.dataDir, webhook: config.eventsWebhook });
}
