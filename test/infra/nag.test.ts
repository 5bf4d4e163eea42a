// cdk-nag's AwsSolutions rules over the whole stack, through the same plugin `npm run synth` runs, with the
// CloudFormation schema check on: every finding is fixed or acknowledged with a reason in the code.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { TesseraStack } from '../../infra/tessera-stack.ts';

function acknowledged(app: App): Record<string, string>[] {
  return app.node
    .findAll()
    .flatMap((c) => c.node.metadata)
    .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .map((m) => m.data as Record<string, string>);
}

describe('cdk-nag AwsSolutions checks', () => {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'tessera-nag-')) });
  const stack = new TesseraStack(app, 'Tessera-nag', {
    keys: ['v2', 'v1'],
    alarmTopicArn: 'arn:aws:sns:eu-west-1:123456789012:ops',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

  it('synthesizes with the plugin and the schema check and leaves no error or warning unacknowledged', () => {
    const assembly = app.synth();
    expect(assembly.getStackArtifact(stack.artifactId).template).toHaveProperty('Resources');
    const report = new AwsSolutionsChecks().validateScope(app);
    expect(
      report.violations.map(
        (v) => `${v.ruleName} (${v.severity}) at ${v.violatingResources[0]?.constructPath}`,
      ),
    ).toEqual([]);
  });

  it('justifies every acknowledgement in a sentence', () => {
    const reasons = acknowledged(app).flatMap((entry) => Object.entries(entry));
    expect(reasons.length).toBeGreaterThan(0);
    for (const [id, reason] of reasons) {
      expect(id).toMatch(/AwsSolutions-[A-Z]+[0-9]+/);
      expect(reason.length).toBeGreaterThan(60);
    }
  });
});
