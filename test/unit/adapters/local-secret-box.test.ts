// LocalSecretBox: AES-256-GCM under the data folder's key file (mode 0600, made once, kept across starts),
// each secret bound to its ecosystem and provider.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalSecretBox, SECRETS_KEY_FILE } from '../../../functions/adapters/local-secret-box.ts';

const CHAT = { ecosystemId: 'eco1', providerId: 'chat' };
const SECRET = 'local-provider-secret-value';
let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tessera-box-'));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('LocalSecretBox', () => {
  it('makes its key file once, mode 0600, and opens after a restart what it sealed before', async () => {
    const sealed = await (await LocalSecretBox.fromDataDir(dataDir)).seal(SECRET, CHAT);
    const file = join(dataDir, SECRETS_KEY_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const key = await readFile(file, 'utf8');
    const reopened = await LocalSecretBox.fromDataDir(dataDir);
    expect(await reopened.open(sealed, CHAT)).toBe(SECRET);
    expect(await readFile(file, 'utf8')).toBe(key);
  });

  it('seals without the plain text, each time with a new IV', async () => {
    const box = LocalSecretBox.inMemory();
    const [a, b] = [await box.seal(SECRET, CHAT), await box.seal(SECRET, CHAT)];
    expect(a).not.toBe(b);
    for (const sealed of [a, b]) {
      expect(sealed).not.toContain(SECRET);
      expect(sealed).not.toContain(Buffer.from(SECRET).toString('base64url'));
    }
  });

  it('opens a secret only for the ecosystem and provider it was sealed for, and only with its key', async () => {
    const box = LocalSecretBox.inMemory();
    const sealed = await box.seal(SECRET, CHAT);
    await expect(box.open(sealed, { ...CHAT, providerId: 'video' })).rejects.toThrow(/does not open/);
    await expect(box.open(sealed, { ...CHAT, ecosystemId: 'eco2' })).rejects.toThrow(/does not open/);
    await expect(LocalSecretBox.inMemory().open(sealed, CHAT)).rejects.toThrow(/does not open/);
    await expect(box.open(`kms1.${sealed.slice('local1.'.length)}`, CHAT)).rejects.toThrow(/not of this/);
  });

  it('refuses a key file that holds no key instead of making a new one over it', async () => {
    await writeFile(join(dataDir, SECRETS_KEY_FILE), '{}\n', { mode: 0o600 });
    await expect(LocalSecretBox.fromDataDir(dataDir)).rejects.toThrow(/holds no key/);
  });
});
