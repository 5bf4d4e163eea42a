// Where a command connects and with which credential: a flag, else the environment, else what
// `tessera login` saved, else the default URL. A saved credential is sent only to the URL it was saved
// with, so `--url` to another server never leaks it there.

import type { CredentialKind } from './command.ts';
import { configPath, readLogin, type SavedLogin } from './config-file.ts';
import { UsageError } from './errors.ts';

export const DEFAULT_URL = 'http://127.0.0.1:3000';

/** The environment variables a credential kind reads, in order. */
export const CREDENTIAL_VARIABLES: Record<CredentialKind, readonly string[]> = {
  account: ['TESSERA_ACCOUNT_TOKEN'],
  any: ['TESSERA_SERVER_TOKEN', 'TESSERA_ACCOUNT_TOKEN'],
  none: [],
};

export interface Settings {
  url: string;
  credential: string | undefined;
  configFile: string | undefined;
}

const sameUrl = (a: string, b: string) => a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
const given = (value: string | undefined) => (value === undefined || value === '' ? undefined : value);

/**
 * The URL and credential of one command, reading the config file only when a flag or variable leaves
 * something open. A command that needs a credential and finds none is a UsageError saying where to put one.
 *
 * @example
 * resolveSettings({ name: 'keys', credential: 'none' }, {}, process.env); // { url: 'http://127.0.0.1:3000', … }
 */
export function resolveSettings(
  command: { name: string; credential: CredentialKind },
  flags: { url?: string; credential?: string },
  env: Record<string, string | undefined>,
): Settings {
  const configFile = configPath(env);
  let saved: SavedLogin | undefined;
  const login = () => {
    saved ??= readLogin(configFile);
    return saved;
  };
  const url = given(flags.url) ?? given(env.TESSERA_URL) ?? login().url ?? DEFAULT_URL;
  if (command.credential === 'none') return { url, credential: undefined, configFile };
  const variables = CREDENTIAL_VARIABLES[command.credential];
  let credential = given(flags.credential);
  for (const name of variables) credential ??= given(env[name]);
  if (credential === undefined) {
    const { url: savedUrl, credential: savedCredential } = login();
    if (savedCredential !== undefined && sameUrl(savedUrl ?? DEFAULT_URL, url)) credential = savedCredential;
  }
  if (credential === undefined) {
    throw new UsageError(
      `"${command.name}" needs a credential: pass --credential or set ${variables.join(' or ')}, or save one with "tessera login".`,
    );
  }
  return { url, credential, configFile };
}

/**
 * The ecosystem of a `tss.<ecosystemId>.<serverTokenId>.<secret>` server token; undefined for any other.
 *
 * @example
 * ecosystemOfServerToken('tss.eco1.st1.secret'); // 'eco1'
 */
export function ecosystemOfServerToken(credential: string | undefined): string | undefined {
  const parts = credential?.split('.');
  return parts?.length === 4 && parts[0] === 'tss' ? parts[1] : undefined;
}
