// The console's static files, served by the keys function at GET /console/ and /console/{file}: read once
// from beside this module (the repository) or from console/ beside the bundle (the deployed function).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Every file the console has, with its content type; no other name is served. */
export const CONSOLE_FILES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
};

/** The page loads only its own files and talks only to its own origin. */
export const CONSOLE_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'",
  'cache-control': 'no-cache',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

const here = dirname(fileURLToPath(import.meta.url));
const cache = new Map<string, string>();

/**
 * The folder holding the files: beside this module, or `console/` beside a bundle that inlined it.
 *
 * @example
 * consoleDir(); // '/work/main/functions/console' when run from the repository
 */
export function consoleDir(base: string = here): string {
  return existsSync(join(base, 'index.html')) ? base : join(base, 'console');
}

/**
 * A console file's text and content type; undefined for a name that is not one of CONSOLE_FILES.
 *
 * @example
 * consoleFile('index.html'); // { text: '<!doctype html>…', contentType: 'text/html; charset=utf-8' }
 */
export function consoleFile(name: string): { text: string; contentType: string } | undefined {
  const contentType = Object.hasOwn(CONSOLE_FILES, name) ? CONSOLE_FILES[name] : undefined;
  if (contentType === undefined) return undefined;
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(join(consoleDir(), name), 'utf8');
    cache.set(name, text);
  }
  return { text, contentType };
}
