// Synthesizing a Tessera stack for the infra tests: offline, environment-agnostic, into a temporary folder.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { TesseraStack, type TesseraStackProps } from '../../infra/tessera-stack.ts';

export interface Synthesized {
  app: App;
  stack: TesseraStack;
  template: Template;
  /** The cloud assembly folder (bundles included). */
  outdir: string;
}

/**
 * A synthesized stack. The CloudFormation schema check is off (the nag test runs it), and so is bundling
 * unless asked for: tests of props need the template, not the six bundles again.
 *
 * @example
 * const { template } = synthesize({ keys: ['v2', 'v1'] });
 */
export function synthesize(props: TesseraStackProps = {}, opts: { bundle?: boolean } = {}): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'tessera-cdk-'));
  const app = new App({
    outdir,
    builtinCloudFormationValidation: false,
    context: opts.bundle === true ? {} : { 'aws:cdk:bundling-stacks': [] },
  });
  const stack = new TesseraStack(app, 'Tessera-test', props);
  return { app, stack, template: Template.fromStack(stack), outdir };
}

type Json = Record<string, unknown>;

/** The logical id of the one resource of `type` whose logical id starts with `prefix`. */
export function logicalId(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1)
    throw new Error(`Expected one ${type} starting with ${prefix}, found ${ids.join(', ')}`);
  return ids[0] as string;
}

/** Every statement of the IAM policies attached to a role, flattened, with actions as arrays. */
export function statementsOfRole(
  template: Template,
  roleId: string,
): { Action: string[]; Resource: unknown[] }[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy')) as Json[];
  return policies
    .filter((p) => JSON.stringify((p.Properties as Json).Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap((p) => ((p.Properties as Json).PolicyDocument as { Statement: Json[] }).Statement)
    .map((s) => ({
      Action: ([] as string[]).concat(s.Action as string | string[]),
      Resource: ([] as unknown[]).concat(s.Resource),
    }));
}
