// The events settings: the webhook and its key (local mode) and the bus name (the events function), each
// refused with a message naming it when it cannot work.
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../functions/runtime/config.ts';

const URL = 'http://127.0.0.1:9000/events';
const SECRET = 'a-webhook-key-of-16+';

describe('readConfig: events', () => {
  it('reads no webhook and no bus by default', () => {
    const config = readConfig({});
    expect(config.eventsWebhook).toBeUndefined();
    expect(config.eventBusName).toBeUndefined();
  });

  it('reads the webhook with its key, and the bus name', () => {
    const config = readConfig({
      TESSERA_EVENTS_WEBHOOK: URL,
      TESSERA_EVENTS_WEBHOOK_SECRET: SECRET,
      TESSERA_EVENT_BUS_NAME: 'tessera-prod-events',
    });
    expect(config.eventsWebhook).toEqual({ url: URL, secret: SECRET });
    expect(config.eventBusName).toBe('tessera-prod-events');
  });

  it.each([
    [
      { TESSERA_EVENTS_WEBHOOK: URL },
      /TESSERA_EVENTS_WEBHOOK_SECRET is required when TESSERA_EVENTS_WEBHOOK/,
    ],
    [{ TESSERA_EVENTS_WEBHOOK: URL, TESSERA_EVENTS_WEBHOOK_SECRET: 'short' }, /at least 16 characters/],
    [
      { TESSERA_EVENTS_WEBHOOK_SECRET: SECRET },
      /TESSERA_EVENTS_WEBHOOK_SECRET is set, but TESSERA_EVENTS_WEBHOOK is not/,
    ],
    [
      { TESSERA_EVENTS_WEBHOOK: 'ftp://x/y', TESSERA_EVENTS_WEBHOOK_SECRET: SECRET },
      /TESSERA_EVENTS_WEBHOOK must be an http\(s\) URL/,
    ],
    [
      { TESSERA_EVENTS_WEBHOOK: 'events', TESSERA_EVENTS_WEBHOOK_SECRET: SECRET },
      /TESSERA_EVENTS_WEBHOOK must be an http\(s\) URL/,
    ],
    [
      {
        TESSERA_EVENTS_WEBHOOK: URL,
        TESSERA_EVENTS_WEBHOOK_SECRET: SECRET,
        TESSERA_STORE: 'dynamodb',
        TESSERA_TABLE: 'tessera',
      },
      /TESSERA_EVENTS_WEBHOOK is set, but TESSERA_STORE is "dynamodb"/,
    ],
  ])('refuses %o', (env, message) => {
    expect(() => readConfig(env)).toThrow(message);
  });
});
