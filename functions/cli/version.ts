// `tessera --version`: the version of the package the CLI ships in, read from the nearest package.json
// above this module (the repository's today, the CLI package's own once it is packaged on its own).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The version in the nearest package.json above `from` that names one; '0.0.0' if none does.
 *
 * @example
 * cliVersion(); // '0.1.0'
 */
export function cliVersion(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let folder = from; ; folder = dirname(folder)) {
    const file = join(folder, 'package.json');
    if (existsSync(file)) {
      const { version } = JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown };
      if (typeof version === 'string') return version;
    }
    if (dirname(folder) === folder) return '0.0.0';
  }
}
