// `tessera events tail`: local mode's security events, read from events.jsonl in the data folder (the local
// server appends one JSON object a line, functions/local/local-events.ts). Offline: it reads the file, never
// the API. --follow keeps reading as the file grows, until Ctrl-C; with --json it then prints JSON Lines.
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { EVENT_TYPES, type TesseraEvent } from '../core/events.ts';
import { DEFAULT_DATA_DIR, EVENTS_FILE } from '../runtime/data-folder.ts';
import type { Command } from './command.ts';
import { UsageError } from './errors.ts';

/** How often --follow looks at the file: it is appended to, never rewritten. */
const FOLLOW_POLL_MS = 250;
const DEFAULT_LINES = 10;

/** One event for a person: time, type, whom it names, then its detail as name=value. */
export function eventLine(event: TesseraEvent): string {
  const names = [
    ['ecosystem', event.ecosystemId],
    ['user', event.userId],
    ['token', event.tokenId],
    ['family', event.familyId],
  ].filter(([, value]) => value !== undefined);
  const detail = Object.entries(event.detail).map(([name, value]) => `${name}=${value ?? '-'}`);
  return [event.time, event.type.padEnd(28), ...names.map(([n, v]) => `${n} ${v}`), ...detail]
    .join('  ')
    .trimEnd();
}

/**
 * The complete lines of `file` from byte `from` on, and where the next read starts; none while it is absent.
 *
 * @example
 * const { lines, next } = await readEventLines(file, 0); // later: readEventLines(file, next)
 */
export async function readEventLines(file: string, from: number): Promise<{ lines: string[]; next: number }> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { lines: [], next: 0 };
    throw err;
  }
  const start = size < from ? 0 : from; // smaller than before: a new file, read it from its start
  if (size === start) return { lines: [], next: start };
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(size - start);
    await handle.read(buffer, 0, buffer.length, start);
    const end = buffer.lastIndexOf(0x0a) + 1; // a line still being written waits for its newline
    const text = buffer.subarray(0, end).toString('utf8');
    return { lines: text.split('\n').filter((line) => line !== ''), next: start + end };
  } finally {
    await handle.close();
  }
}

function parseEvents(lines: string[], type: string | undefined): TesseraEvent[] {
  return lines
    .map((line) => JSON.parse(line) as TesseraEvent)
    .filter((event) => type === undefined || event.type === type);
}

function lineCount(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_LINES;
  if (!/^[0-9]+$/.test(raw)) throw new UsageError(`--lines must be a whole number; it is "${raw}".`);
  return Number(raw);
}

function eventType(raw: string | undefined): string | undefined {
  if (raw === undefined || (EVENT_TYPES as readonly string[]).includes(raw)) return raw;
  throw new UsageError(`--type must be one of ${EVENT_TYPES.join(', ')}; it is "${raw}".`);
}

export const EVENT_COMMANDS: readonly Command[] = [
  {
    name: 'events tail',
    summary:
      "Show local mode's security events from events.jsonl in the data folder; --follow waits for more.",
    args: [],
    options: {
      'data-dir': `the local server's data folder (else $TESSERA_DATA_DIR, else ${DEFAULT_DATA_DIR})`,
      lines: `how many of the latest events to show first (default ${DEFAULT_LINES})`,
      type: 'only events of this type, e.g. token.reused',
    },
    flags: { follow: 'keep running and print each event as it is appended, until Ctrl-C' },
    credential: 'none',
    offline: true,
    run: async ({ options, io, json }) => {
      const lines = lineCount(options.lines);
      const type = eventType(options.type);
      const dataDir = options['data-dir'] ?? io.env.TESSERA_DATA_DIR ?? DEFAULT_DATA_DIR;
      const file = join(dataDir, EVENTS_FILE);
      const first = await readEventLines(file, 0);
      const latest = lines === 0 ? [] : parseEvents(first.lines, type).slice(-lines);
      if (options.follow === undefined) {
        const heading =
          first.next === 0 && first.lines.length === 0
            ? `No events in ${file} yet (the local server writes it on the first security event).`
            : `${latest.length} event(s) from ${file}:`;
        return { json: latest, human: [heading, ...latest.map(eventLine)].join('\n') };
      }
      const print = (events: TesseraEvent[]) => {
        for (const event of events) io.stdout.write(`${json ? JSON.stringify(event) : eventLine(event)}\n`);
      };
      print(latest);
      for (let at = first.next; ; ) {
        await new Promise((resolve) => setTimeout(resolve, FOLLOW_POLL_MS));
        const more = await readEventLines(file, at);
        print(parseEvents(more.lines, type));
        at = more.next;
      }
    },
  },
];
