// `npm run synth` must work offline on a fresh clone: cdk.json runs the TypeScript app with tsx and turns
// off what would reach the network (notices, telemetry).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../infra/bundle.ts';

const cdkJson = JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')) as {
  app: string;
  notices?: boolean;
  context?: Record<string, unknown>;
};

describe('cdk.json', () => {
  it('runs infra/app.ts through tsx, which exists', () => {
    expect(cdkJson.app).toBe('npx tsx infra/app.ts');
    expect(existsSync(join(ROOT, 'infra/app.ts'))).toBe(true);
  });

  it('turns off notices and CLI telemetry, which would reach the network', () => {
    expect(cdkJson.notices).toBe(false);
    expect(cdkJson.context?.['cli-telemetry']).toBe(false);
  });

  it('pins no account or region, so the stack deploys wherever the credentials point', () => {
    expect(JSON.stringify(cdkJson)).not.toMatch(/[0-9]{12}|"(account|region)"/);
  });
});
