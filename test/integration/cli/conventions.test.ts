// The command line's manners, in-process (no server needed): per-command help naming the variables that
// command reads, "did you mean" for near misses, the old --token refused with a hint, --json for the
// CLI's own errors, and colours only at a terminal without NO_COLOR.
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../../functions/cli/main.ts';
import { runTessera } from './cli-run.ts';

const OFFLINE = { TESSERA_URL: 'http://127.0.0.1:9' };
const ESC = '\u001b[';

describe('tessera help', () => {
  it.each([
    [['ecosystem', 'delete'], ['TESSERA_ACCOUNT_TOKEN', '--yes'], ['TESSERA_SERVER_TOKEN']],
    [['token', 'list'], ['TESSERA_SERVER_TOKEN', 'TESSERA_ACCOUNT_TOKEN', '--credential <token>'], ['--yes']],
    [
      ['token', 'verify'],
      ['TESSERA_URL', 'Sends no credential'],
      ['TESSERA_ACCOUNT_TOKEN', '--credential'],
    ],
    [['logout'], ['XDG_CONFIG_HOME'], ['TESSERA_URL', '--url']],
  ])('for %j names %j and not %j', async (words, present, absent) => {
    const { code, stdout } = await runTessera([...words, '--help'], {});
    expect(code).toBe(EXIT.OK);
    for (const text of present) expect(stdout).toContain(text);
    for (const text of absent) expect(stdout).not.toContain(text);
  });

  it('lists one group with "tessera <group> --help"', async () => {
    const { code, stdout } = await runTessera(['server-token', '--help'], {});
    expect(code).toBe(EXIT.OK);
    expect(stdout).toContain('tessera server-token delete <serverTokenId>');
    expect(stdout).not.toContain('tessera user put');
  });
});

describe('tessera mistakes', () => {
  it.each([
    [
      'a misspelt option',
      ['user', 'get', 'a', '--ecosytem', 'e'],
      "Unknown option '--ecosytem'. Did you mean --ecosystem?",
    ],
    [
      'a misspelt command',
      ['ecosytem', 'list'],
      'Unknown command "ecosytem list". Did you mean "ecosystem list"?',
    ],
    ['a misspelt group', ['tokn'], 'Unknown command "tokn". Did you mean "token"?'],
    ['the old --token flag', ['user', 'get', 'a', '--token', 'tss.x'], '--token is now --credential'],
    [
      'a credential for a command that sends none',
      ['token', 'verify', 't', '--credential', 'c'],
      'leave out --credential',
    ],
    ['--yes on a command that never asks', ['user', 'get', 'a', '--yes'], "Unknown option '--yes'"],
  ])('exits 2 for %s, saying what to type', async (_what, argv, message) => {
    const { code, stderr } = await runTessera(argv, OFFLINE);
    expect(code).toBe(EXIT.USAGE);
    expect(stderr).toContain(message);
  });

  it('gives no suggestion when nothing is near', async () => {
    const { stderr } = await runTessera(['keys', '--verbose'], OFFLINE);
    expect(stderr).toContain("Unknown option '--verbose'.\n");
  });

  it('prints its own errors as JSON with --json, on stdout only', async () => {
    const { code, stdout, stderr } = await runTessera(
      ['user', 'get', 'a', '--json', '--ecosytem', 'e'],
      OFFLINE,
    );
    expect(code).toBe(EXIT.USAGE);
    expect(JSON.parse(stdout)).toEqual({
      error: { code: 'CLI_USAGE', message: "Unknown option '--ecosytem'. Did you mean --ecosystem?" },
    });
    expect(stderr).toBe('');
  });
});

describe('tessera colours', () => {
  const mistake = ['keys', '--verbose'];

  it('colours at a terminal', async () => {
    const { stderr } = await runTessera(mistake, OFFLINE, { outputTty: true });
    expect(stderr).toContain(`${ESC}31mtessera:${ESC}39m`);
  });

  it.each([
    ['not a terminal', {}, false],
    ['NO_COLOR set', { NO_COLOR: '1' }, true],
    ['TERM=dumb', { TERM: 'dumb' }, true],
  ])('does not colour when %s', async (_what, env, outputTty) => {
    const { stderr, stdout } = await runTessera(mistake, { ...OFFLINE, ...env }, { outputTty });
    expect(stderr + stdout).not.toContain(ESC);
    expect(stderr).toContain('tessera: Unknown option');
  });

  it('keeps colours when NO_COLOR is empty', async () => {
    const { stderr } = await runTessera(mistake, { ...OFFLINE, NO_COLOR: '' }, { outputTty: true });
    expect(stderr).toContain(ESC);
  });
});
