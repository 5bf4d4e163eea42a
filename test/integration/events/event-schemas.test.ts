// The documented event schemas are the ones the tests check every event against: docs/events/ holds what
// functions/events/event-schemas.ts defines, one entry per event type.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../../functions/core/events.ts';
import { EVENTS_SCHEMA_FILE, eventsJsonSchema } from '../../../functions/events/event-schemas.ts';

describe('docs/events/events.schema.json', () => {
  it('is the JSON Schema the event schemas give (regenerate: npx tsx functions/events/event-schemas.ts)', async () => {
    const documented = JSON.parse(await readFile(EVENTS_SCHEMA_FILE, 'utf8'));
    expect(documented).toEqual(eventsJsonSchema());
  });

  it('defines every event type, each an object whose type is that constant', () => {
    const schema = eventsJsonSchema() as { $defs: Record<string, { properties: { type: unknown } }> };
    expect(Object.keys(schema.$defs).sort()).toEqual([...EVENT_TYPES].sort());
    for (const type of EVENT_TYPES) expect(schema.$defs[type]?.properties.type).toEqual({ const: type });
  });
});
