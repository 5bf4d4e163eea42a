// The file `tessera login` writes and every command reads: the API URL and a credential, in the user's
// config folder ($XDG_CONFIG_HOME/tessera/config.json, else ~/.config/tessera/config.json), readable by
// the user alone (folder 0700, file 0600), replaced atomically so a crash never leaves half a file.
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { UsageError } from './errors.ts';

/** What the file holds; both members optional, anything else in it is ignored. */
export interface SavedLogin {
  url?: string;
  credential?: string;
}

/**
 * Where the config file lives, from the environment alone (never the real home of the process, so a
 * test's environment decides); undefined when neither XDG_CONFIG_HOME nor HOME is set.
 *
 * @example
 * configPath({ HOME: '/home/ada' }); // '/home/ada/.config/tessera/config.json'
 */
export function configPath(env: Record<string, string | undefined>): string | undefined {
  const xdg = env.XDG_CONFIG_HOME;
  if (xdg !== undefined && isAbsolute(xdg)) return join(xdg, 'tessera', 'config.json');
  const home = env.HOME ?? env.USERPROFILE;
  return home === undefined || home === '' ? undefined : join(home, '.config', 'tessera', 'config.json');
}

/**
 * The saved URL and credential; empty when there is no file. A file that is not a JSON object is a
 * UsageError naming it, so a person can fix or remove it.
 *
 * @example
 * readLogin('/home/ada/.config/tessera/config.json'); // { url: 'http://127.0.0.1:3000', credential: 'tsa_…' }
 */
export function readLogin(path: string | undefined): SavedLogin {
  if (path === undefined) return {};
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new UsageError(`Cannot read ${path}: ${(err as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`${path} is not a JSON object: fix it, or run "tessera logout" to remove it.`);
  }
  const { url, credential } = value as Record<string, unknown>;
  return {
    ...(typeof url === 'string' ? { url } : {}),
    ...(typeof credential === 'string' ? { credential } : {}),
  };
}

/**
 * Writes the file: its folder created 0700 (and made 0700 if it was not), the file 0600, written beside
 * and renamed over the old one.
 *
 * @example
 * saveLogin(path, { url: 'http://127.0.0.1:3000', credential: serverToken });
 */
export function saveLogin(path: string, login: SavedLogin): void {
  const folder = dirname(path);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  chmodSync(folder, 0o700);
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, `${JSON.stringify(login, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(temporary, 0o600);
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
  }
}

/**
 * Removes the file; answers whether there was one.
 *
 * @example
 * forgetLogin(path); // true
 */
export function forgetLogin(path: string): boolean {
  try {
    rmSync(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
