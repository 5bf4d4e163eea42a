// Local mode's event webhook: each event POSTed as its JSON (the same text as its events.jsonl line) to
// TESSERA_EVENTS_WEBHOOK, signed `X-Tessera-Signature: sha256=<hex>` (HMAC-SHA256 of the exact body bytes
// under TESSERA_EVENTS_WEBHOOK_SECRET). One event at a time, in order, off every request's path: a slow or
// dead receiver delays only the webhook, never the API. A network error, a timeout, 408, 429 or a 5xx is
// retried with doubling delays up to a bounded number of attempts; any other answer is final.
import { createHmac } from 'node:crypto';
import type { TesseraEvent } from '../core/events.ts';

/** The header carrying the signature, and its one scheme. */
export const SIGNATURE_HEADER = 'x-tessera-signature';
const SCHEME = 'sha256=';

/**
 * The signature header's value for a body: `sha256=` and the lowercase hex HMAC-SHA256 of its bytes.
 *
 * @example
 * signatureOf('{"id":"…"}', secret); // 'sha256=5d41…'
 */
export function signatureOf(body: string, secret: string): string {
  return `${SCHEME}${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** The bounds of delivering one event. */
export interface WebhookRetry {
  /** Attempts in all, the first included. */
  attempts: number;
  /** The wait before the second attempt; each later wait doubles it. */
  firstDelayMs: number;
  /** How long one attempt may take before it counts as failed. */
  timeoutMs: number;
}

/** 5 attempts, 0.5 s then 1, 2 and 4 s apart, 5 s each at most: an event is given up within about 33 s. */
export const DEFAULT_WEBHOOK_RETRY: WebhookRetry = { attempts: 5, firstDelayMs: 500, timeoutMs: 5000 };

/** Events waiting beyond this many are not sent (events.jsonl still has them); a warning says so. */
export const MAX_QUEUED_EVENTS = 1000;

export interface WebhookSenderProps {
  url: string;
  secret: string;
  retry?: Partial<WebhookRetry>;
  /** Where a given-up delivery is reported, one line each (never the body: the event id and why). */
  warn?: (line: string) => void;
  fetch?: typeof fetch;
}

const retryable = (status: number) => status === 408 || status === 429 || status >= 500;
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * @example
 * const sender = new WebhookSender({ url: 'http://127.0.0.1:9000/events', secret });
 * sender.enqueue(event); // returns at once; await sender.idle() to wait for the queue to drain
 */
export class WebhookSender {
  readonly #props: WebhookSenderProps;
  readonly #retry: WebhookRetry;
  readonly #queue: TesseraEvent[] = [];
  #running: Promise<void> | undefined;
  #overflowed = false;
  #closed = false;

  constructor(props: WebhookSenderProps) {
    this.#props = props;
    this.#retry = { ...DEFAULT_WEBHOOK_RETRY, ...props.retry };
  }

  #warn(line: string): void {
    (this.#props.warn ?? ((text: string) => process.stderr.write(`${text}\n`)))(line);
  }

  /** Queues an event for delivery; never waits, never throws. */
  enqueue(event: TesseraEvent): void {
    if (this.#closed) return;
    if (this.#queue.length >= MAX_QUEUED_EVENTS) {
      if (!this.#overflowed) {
        this.#warn(
          `events webhook: over ${MAX_QUEUED_EVENTS} events waiting; later ones are only in events.jsonl`,
        );
      }
      this.#overflowed = true;
      return;
    }
    this.#overflowed = false;
    this.#queue.push(event);
    this.#running ??= this.#drain().finally(() => {
      this.#running = undefined;
    });
  }

  /** Resolves once every queued event was delivered or given up. */
  async idle(): Promise<void> {
    while (this.#running !== undefined) await this.#running;
  }

  /** Stops sending: events not yet on their way are dropped (they stay in events.jsonl). */
  close(): void {
    this.#closed = true;
    this.#queue.length = 0;
  }

  async #drain(): Promise<void> {
    for (let event = this.#queue.shift(); event !== undefined; event = this.#queue.shift()) {
      await this.#deliver(event);
    }
  }

  /** One POST; the outcome: delivered, worth another try, or final (with why). */
  async #attempt(body: string): Promise<{ ok: boolean; retry: boolean; why: string }> {
    try {
      const answer = await (this.#props.fetch ?? fetch)(this.#props.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: signatureOf(body, this.#props.secret),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.#retry.timeoutMs),
      });
      await answer.body?.cancel();
      const ok = answer.status >= 200 && answer.status < 300;
      return { ok, retry: !ok && retryable(answer.status), why: `HTTP ${answer.status}` };
    } catch (err) {
      return { ok: false, retry: true, why: err instanceof Error ? err.name : 'network error' };
    }
  }

  async #deliver(event: TesseraEvent): Promise<void> {
    const body = JSON.stringify(event);
    let why = '';
    for (let attempt = 1; attempt <= this.#retry.attempts && !this.#closed; attempt++) {
      if (attempt > 1) await pause(this.#retry.firstDelayMs * 2 ** (attempt - 2));
      const outcome = await this.#attempt(body);
      if (outcome.ok) return;
      why = outcome.why;
      if (!outcome.retry) break;
    }
    if (!this.#closed) this.#warn(`events webhook: gave up on event ${event.id} (${event.type}): ${why}`);
  }
}
