// `tessera events tail` on a data folder the local events wrote: the latest events for a person or as JSON,
// filtered by type, and --follow printing each event as it is appended, in a CLI process of its own.
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../../functions/adapters/embedded-store.ts';
import { eventLine, readEventLines } from '../../../functions/cli/event-commands.ts';
import type { TesseraEvent } from '../../../functions/core/events.ts';
import { startLocalEvents } from '../../../functions/local/local-events.ts';
import { EVENTS_FILE } from '../../../functions/runtime/data-folder.ts';
import { runCliCaptured } from '../../helpers/cli.ts';
import { frozenClock } from '../../helpers/clock.ts';
import { makeDataDir, removeDataDir } from '../../helpers/server.ts';

const folders: string[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) child.kill();
  for (const dir of folders.splice(0)) await removeDataDir(dir);
});

/** A data folder whose events.jsonl the local events wrote: `count` server tokens created, one deleted. */
async function folderWithEvents(count: number) {
  const dataDir = await makeDataDir();
  folders.push(dataDir);
  const clock = frozenClock();
  const store = await EmbeddedStore.open({ dataDir, clock });
  const events = startLocalEvents({ store, dataDir });
  const now = clock.seconds();
  await store.directory.createEcosystem(
    { ecosystemId: 'eco1', name: null, createdAt: now },
    { ecosystemId: 'eco1', serverTokenId: 'st0', secretHash: '0'.repeat(64), createdAt: now },
  );
  for (let i = 1; i < count - 1; i++) {
    clock.advance(1);
    const record = {
      ecosystemId: 'eco1',
      serverTokenId: `st${i}`,
      secretHash: '0'.repeat(64),
      createdAt: now + i,
    };
    await store.serverTokens.putServerToken(record);
  }
  await store.serverTokens.deleteServerToken('eco1', 'st0');
  await store.flush();
  await events.flush();
  return { dataDir, store, events };
}

describe('tessera events tail', () => {
  it('reads only whole lines, and from the start again when the file was replaced by a shorter one', async () => {
    const dataDir = await makeDataDir();
    folders.push(dataDir);
    const file = join(dataDir, EVENTS_FILE);
    expect(await readEventLines(file, 0)).toEqual({ lines: [], next: 0 });
    await appendFile(file, '{"a":1}\n{"b":');
    const first = await readEventLines(file, 0);
    expect(first).toEqual({ lines: ['{"a":1}'], next: 8 });
    await appendFile(file, '2}\n');
    expect(await readEventLines(file, first.next)).toEqual({ lines: ['{"b":2}'], next: 16 });
    await writeFile(file, '{"c":3}\n');
    expect(await readEventLines(file, 16)).toEqual({ lines: ['{"c":3}'], next: 8 });
  });

  it('shows the latest 10 events for a person, and as one JSON document with --json', async () => {
    const { dataDir } = await folderWithEvents(12);
    const env = { TESSERA_DATA_DIR: dataDir };

    const json = await runCliCaptured(['events', 'tail', '--json'], env);
    expect(json.code).toBe(0);
    const events = JSON.parse(json.stdout) as TesseraEvent[];
    expect(events).toHaveLength(10);
    expect(events.at(-1)).toMatchObject({ type: 'server_token.deleted', detail: { serverTokenId: 'st0' } });

    const human = await runCliCaptured(['events', 'tail', '--data-dir', dataDir], {});
    expect(human.code).toBe(0);
    const lines = human.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`10 event(s) from ${join(dataDir, EVENTS_FILE)}:`);
    expect(lines.slice(1)).toEqual(events.map(eventLine));
    expect(lines.at(-1)).toContain('server_token.deleted');
    expect(lines.at(-1)).toContain('serverTokenId=st0');
  });

  it('filters by type and count, and refuses a type or count it does not know', async () => {
    const { dataDir } = await folderWithEvents(5);
    const env = { TESSERA_DATA_DIR: dataDir };
    const created = await runCliCaptured(
      ['events', 'tail', '--type', 'server_token.created', '--lines', '2', '--json'],
      env,
    );
    expect((JSON.parse(created.stdout) as TesseraEvent[]).map((e) => e.detail.serverTokenId)).toEqual([
      'st2',
      'st3',
    ]);

    const badType = await runCliCaptured(['events', 'tail', '--type', 'token.stolen'], env);
    expect(badType.code).toBe(2);
    expect(badType.stderr).toContain('--type must be one of token.revoked, token.reused');
    expect((await runCliCaptured(['events', 'tail', '--lines', 'ten'], env)).code).toBe(2);
  });

  it('says there are no events yet in a data folder without events.jsonl', async () => {
    const dataDir = await makeDataDir();
    folders.push(dataDir);
    const answer = await runCliCaptured(['events', 'tail'], { TESSERA_DATA_DIR: dataDir });
    expect(answer.code).toBe(0);
    expect(answer.stdout).toContain('No events in');
    expect(
      JSON.parse((await runCliCaptured(['events', 'tail', '--json'], { TESSERA_DATA_DIR: dataDir })).stdout),
    ).toEqual([]);
  });

  it('--follow prints each event as JSON Lines as it is appended', async () => {
    const { dataDir, store, events } = await folderWithEvents(3);
    const cli = join(import.meta.dirname, '..', '..', '..', 'functions', 'cli', 'tessera.mjs');
    const child = spawn(process.execPath, [cli, 'events', 'tail', '--follow', '--json', '--lines', '1'], {
      env: { PATH: process.env.PATH, TESSERA_DATA_DIR: dataDir, NODE_NO_WARNINGS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const printed = () =>
      stdout
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as TesseraEvent);

    await expect.poll(() => printed().length, { timeout: 15_000 }).toBe(1);
    expect(printed()[0]?.type).toBe('server_token.deleted'); // the latest one, as --lines 1 asked

    await store.serverTokens.deleteServerToken('eco1', 'st1');
    await store.flush();
    await events.flush();
    await expect.poll(() => printed().length, { timeout: 15_000 }).toBe(2);
    expect(printed()[1]).toMatchObject({ type: 'server_token.deleted', detail: { serverTokenId: 'st1' } });
  });
});
