// Everything a test's code writes to stdout and stderr, for the suites that search logs for secrets.
import { vi } from 'vitest';

/**
 * Captures everything written to stdout and stderr, whoever writes it (Powertools has its own Console).
 *
 * @example
 * const output = captureOutput();
 * try { await run(); } finally { output.restore(); }
 * expect(output.text()).not.toContain(secret);
 */
export function captureOutput(): { text: () => string; restore: () => void } {
  const chunks: string[] = [];
  const spies = [process.stdout, process.stderr].map((stream) =>
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    }),
  );
  return {
    text: () => chunks.join(''),
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}
