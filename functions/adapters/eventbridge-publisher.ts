// Security events onto the stack's EventBridge bus: PutEvents in requests of at most ten entries, each entry
// `source` "tessera", `detail-type` the event type and `detail` the event. PutEvents can accept some entries
// of a request and refuse others (FailedEntryCount, an ErrorCode per entry): those alone are sent again, for
// a bounded number of rounds, and what still fails is handed back to the caller.
// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html
import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import type { TesseraEvent } from '../core/events.ts';

/** The `source` of every Tessera event on the bus, what a rule matches on. */
export const EVENT_SOURCE = 'tessera';

/** PutEvents takes at most 10 entries a request (the EventBridge API reference, PutEvents, 2026-12). */
const MAX_ENTRIES_PER_REQUEST = 10;

/** Rounds of PutEvents for the entries still refused, with DELAY_MS × round between them (0.1 s, 0.2 s). */
export const PUBLISH_ROUNDS = 3;
const DELAY_MS = 100;

/** An event the bus did not take, and why (the entry's ErrorCode, or the request's error name). */
export interface Undelivered {
  event: TesseraEvent;
  reason: string;
}

/** Where the events function puts events: the bus in AWS, a double in tests. */
export interface EventPublisher {
  /** Puts every event, retrying refused entries; answers those still undelivered after the last round. */
  publish(events: readonly TesseraEvent[]): Promise<Undelivered[]>;
}

export interface EventBridgePublisherProps {
  client: EventBridgeClient;
  busName: string;
  /** How to wait between rounds (tests pass one that does not). */
  sleep?: (ms: number) => Promise<void>;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * @example
 * const publisher = new EventBridgePublisher({ client: new EventBridgeClient({}), busName: 'tessera-prod-events' });
 * const undelivered = await publisher.publish(events); // [] when the bus took them all
 */
export class EventBridgePublisher implements EventPublisher {
  readonly #client: EventBridgeClient;
  readonly #busName: string;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(props: EventBridgePublisherProps) {
    this.#client = props.client;
    this.#busName = props.busName;
    this.#sleep = props.sleep ?? wait;
  }

  #entry(event: TesseraEvent): PutEventsRequestEntry {
    return {
      EventBusName: this.#busName,
      Source: EVENT_SOURCE,
      DetailType: event.type,
      Detail: JSON.stringify(event),
      Time: new Date(event.time),
    };
  }

  /** One request: the entries it refused, each with its reason. */
  async #put(events: readonly TesseraEvent[]): Promise<Undelivered[]> {
    try {
      const answer = await this.#client.send(
        new PutEventsCommand({ Entries: events.map((event) => this.#entry(event)) }),
      );
      if ((answer.FailedEntryCount ?? 0) === 0) return [];
      // Entries come back in the order sent; a refused one carries an ErrorCode instead of an EventId.
      return events.flatMap((event, i) => {
        const code = answer.Entries?.[i]?.ErrorCode;
        return code === undefined ? [] : [{ event, reason: code }];
      });
    } catch (err) {
      return events.map((event) => ({ event, reason: err instanceof Error ? err.name : 'Error' }));
    }
  }

  async publish(events: readonly TesseraEvent[]): Promise<Undelivered[]> {
    let pending = [...events];
    let undelivered: Undelivered[] = [];
    for (let round = 1; round <= PUBLISH_ROUNDS && pending.length > 0; round++) {
      if (round > 1) await this.#sleep(DELAY_MS * (round - 1));
      const requests: Promise<Undelivered[]>[] = [];
      for (let i = 0; i < pending.length; i += MAX_ENTRIES_PER_REQUEST) {
        requests.push(this.#put(pending.slice(i, i + MAX_ENTRIES_PER_REQUEST)));
      }
      // Requests of a round go out together: a batch of 100 records is 10 requests, not 10 round trips.
      undelivered = (await Promise.all(requests)).flat();
      pending = undelivered.map((u) => u.event);
    }
    return undelivered;
  }
}
