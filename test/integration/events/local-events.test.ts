// Local mode's events: the story's changes on an embedded store in a data folder become exactly its events,
// one line each in events.jsonl, each written only once the snapshot holding its change is on disk.
import { readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedStore, STORE_FILE } from '../../../functions/adapters/embedded-store.ts';
import type { ChangeListener } from '../../../functions/adapters/embedded-tables.ts';
import type { ChangeRecord, TesseraEvent } from '../../../functions/core/events.ts';
import { startLocalEvents } from '../../../functions/local/local-events.ts';
import { frozenClock } from '../../helpers/clock.ts';
import { testDeps } from '../../helpers/deps.ts';
import { makeDataDir, removeDataDir } from '../../helpers/server.ts';
import { expectStoryEvents, GRACE_SECONDS, runStory } from './scenario.ts';

const folders: string[] = [];
afterEach(async () => {
  for (const dir of folders.splice(0)) await removeDataDir(dir);
});

async function readEvents(file: string): Promise<TesseraEvent[]> {
  const text = await readFile(file, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as TesseraEvent);
}

const ARRAYS = {
  token: 'tokens',
  user: 'users',
  ecosystem: 'ecosystems',
  serverToken: 'serverTokens',
} as const;
const sameRecord = (change: ChangeRecord) => (record: Record<string, unknown>) => {
  const image = (change.after ?? change.before) as unknown as Record<string, unknown>;
  const keys = ['tokenId', 'ecosystemId', 'userId', 'serverTokenId'].filter((k) => image[k] !== undefined);
  return keys.every((k) => record[k] === image[k]);
};

describe('local mode events (events.jsonl)', () => {
  it("appends exactly the story's events, one JSON line each, in a file only the owner reads", async () => {
    const dataDir = await makeDataDir();
    folders.push(dataDir);
    const clock = frozenClock();
    const store = await EmbeddedStore.open({ dataDir, clock });
    const events = startLocalEvents({ store, dataDir });
    const deps = await testDeps({ store, clock, config: { refreshGraceSeconds: GRACE_SECONDS } });

    const story = await runStory(deps);
    await store.flush();
    await events.flush();

    const written = await readEvents(events.file);
    expectStoryEvents(written, story);
    // Local mode's time is the store's clock at the write: the frozen one here.
    const reused = written.find((e) => e.type === 'token.reused');
    expect(reused?.time).toBe(new Date((1_800_000_000 + GRACE_SECONDS + 5) * 1000).toISOString());
    expect((await stat(events.file)).mode & 0o777).toBe(0o600);
  });

  it('hands over each change only once the snapshot on disk holds it', async () => {
    const dataDir = await makeDataDir();
    folders.push(dataDir);
    const clock = frozenClock();
    const store = await EmbeddedStore.open({ dataDir, clock });
    const checked: string[] = [];
    // Between the store and local-events: read the snapshot file at the moment a batch is handed over.
    const watched = {
      onChanges: (listener: ChangeListener) =>
        store.onChanges((changes) => {
          const snapshot = JSON.parse(readFileSync(join(dataDir, STORE_FILE), 'utf8'));
          const last = new Map<string, ChangeRecord>();
          for (const change of changes) {
            if (change.kind === 'revocation') continue;
            const image = change.after ?? change.before;
            last.set(`${change.kind}:${JSON.stringify(image && sameKeyOf(image))}`, change);
          }
          for (const change of last.values()) {
            if (change.kind === 'revocation') continue;
            const found = (snapshot[ARRAYS[change.kind]] as Record<string, unknown>[]).find(
              sameRecord(change),
            );
            if (change.after === undefined) expect(found).toBeUndefined();
            else expect(found).toEqual(change.after);
            checked.push(change.kind);
          }
          listener(changes);
        }),
    };
    const events = startLocalEvents({ store: watched, dataDir });
    const deps = await testDeps({ store, clock, config: { refreshGraceSeconds: GRACE_SECONDS } });

    const story = await runStory(deps);
    await store.flush();
    await events.flush();

    expect(new Set(checked)).toEqual(new Set(['token', 'user', 'ecosystem', 'serverToken']));
    expectStoryEvents(await readEvents(events.file), story);
  });
});

function sameKeyOf(image: object): Record<string, unknown> {
  const record = image as Record<string, unknown>;
  return {
    tokenId: record.tokenId,
    ecosystemId: record.ecosystemId,
    userId: record.userId,
    serverTokenId: record.serverTokenId,
  };
}
