// docs/events/README.md's CDK rule that alerts on token.reused, run as written in a stack of its own: it
// synthesizes, and its pattern takes a token.reused entry of the Tessera bus and leaves a token.revoked one.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { EVENT_SOURCE } from '../../functions/adapters/eventbridge-publisher.ts';
import { ROOT } from '../../infra/bundle.ts';
import { matchesFilter } from '../integration/aws/stream-records.ts';

const BUS_NAME = 'Tessera-prod-EventsBus1234-ABCD';

function ruleOfTheDocs(): Template {
  const doc = readFileSync(join(ROOT, 'docs', 'events', 'README.md'), 'utf8');
  const section = doc.slice(doc.indexOf('### A rule that alerts on `token.reused`'));
  const snippet = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (snippet === undefined) throw new Error('docs/events/README.md has no rule snippet');
  const code = transformSync(snippet.replace(/^import .*$/gm, ''), { loader: 'ts' }).code;
  const stack = new Stack(new App(), 'Consumer');
  new Function('events', 'targets', 'sns', 'tesseraEventBusName', code).call(
    stack,
    events,
    targets,
    sns,
    BUS_NAME,
  );
  return Template.fromStack(stack);
}

/** An entry as EventBridge holds it: the envelope, the event as its detail. */
const entry = (type: string) => ({
  source: EVENT_SOURCE,
  'detail-type': type,
  detail: { id: '0'.repeat(32), type, ecosystemId: 'eco', userId: 'alice', detail: {} },
});

describe('the documented token.reused rule', () => {
  it('synthesizes on the Tessera bus, sending a message that names the ecosystem, user and token', () => {
    const template = ruleOfTheDocs();
    const rules = Object.values(template.findResources('AWS::Events::Rule')) as {
      Properties: { EventBusName: string; EventPattern: unknown; Targets: { InputTransformer: unknown }[] };
    }[];
    expect(rules).toHaveLength(1);
    const rule = rules[0]?.Properties;
    expect(rule?.EventBusName).toBe(BUS_NAME);
    expect(JSON.stringify(rule?.Targets[0]?.InputTransformer)).toContain('$.detail.detail.presentedTokenId');

    expect(matchesFilter(rule?.EventPattern, entry('token.reused'))).toBe(true);
    expect(matchesFilter(rule?.EventPattern, entry('token.revoked'))).toBe(false);
    expect(matchesFilter(rule?.EventPattern, { ...entry('token.reused'), source: 'someone.else' })).toBe(
      false,
    );
  });
});
