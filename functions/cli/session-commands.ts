// `tessera login` and `tessera logout`: save a checked credential with its URL in the config file, or
// forget it. The credential comes from --credential, or stdin (not echoed at a terminal), never argv alone.
import { TesseraClient } from '../client/http-client.ts';
import type { CliIo, Command } from './command.ts';
import { forgetLogin, saveLogin } from './config-file.ts';
import { UsageError } from './errors.ts';
import { fields } from './output.ts';
import { readLine, readSecret } from './prompt.ts';
import { ecosystemOfServerToken } from './settings.ts';

const NO_CONFIG_FOLDER =
  'Set HOME or XDG_CONFIG_HOME: the login is saved in $XDG_CONFIG_HOME/tessera/config.json, else ~/.config/tessera/config.json.';

async function credentialToSave(flag: string | undefined, io: CliIo, url: string): Promise<string> {
  let credential = flag;
  if ((credential === undefined || credential === '-') && io.stdin !== undefined) {
    credential =
      credential === '-'
        ? await readLine(io.stdin)
        : await readSecret(io.stdin, io.stderr, `Account or server token for ${url} (not shown): `);
  }
  if (credential === undefined || credential === '' || credential === '-') {
    throw new UsageError('No credential: pass --credential -, then the token on stdin (or at the prompt).');
  }
  return credential;
}

export const SESSION_COMMANDS: readonly Command[] = [
  {
    name: 'login',
    summary: 'Check a credential with the API, then save it and the URL for later commands.',
    args: [],
    options: {
      credential:
        'the account or a server token to save; "-" or none reads it from stdin (a terminal hides it)',
    },
    credential: 'none',
    run: async ({ options, client, io, configFile }) => {
      if (configFile === undefined) throw new UsageError(NO_CONFIG_FOLDER);
      const url = client.baseUrl;
      const credential = await credentialToSave(options.credential, io, url);
      const check = new TesseraClient({ baseUrl: url, credential, ...(io.fetch ? { fetch: io.fetch } : {}) });
      const ecosystemId = ecosystemOfServerToken(credential);
      // A credential the API refuses is never saved: the call's error ends the command first.
      if (ecosystemId === undefined) await check.listEcosystems();
      else await check.getEcosystem(ecosystemId);
      saveLogin(configFile, { url, credential });
      const kind =
        ecosystemId === undefined ? 'the account token' : `a server token of ecosystem ${ecosystemId}`;
      return {
        json: {
          url,
          kind: ecosystemId === undefined ? 'account' : 'server',
          ecosystemId: ecosystemId ?? null,
          configFile,
        },
        human: `Logged in to ${url} with ${kind}\n${fields([['saved in', configFile]])}`,
      };
    },
  },
  {
    name: 'logout',
    summary: 'Forget the saved URL and credential (removes the config file).',
    args: [],
    options: {},
    credential: 'none',
    offline: true,
    run: async ({ configFile }) => {
      if (configFile === undefined) throw new UsageError(NO_CONFIG_FOLDER);
      const removed = forgetLogin(configFile);
      return {
        json: { loggedOut: removed, configFile },
        human: removed ? `Logged out: removed ${configFile}.` : `Not logged in: there is no ${configFile}.`,
      };
    },
  },
];
