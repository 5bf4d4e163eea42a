// Names a deployment meets: the usage dashboard's (dashboards are global to an account, so one stage in two
// regions must not collide) and the function names a direct caller invokes, which CloudFormation generates
// and the stack therefore outputs.
import { describe, expect, it } from 'vitest';
import { FUNCTION_NAMES } from '../../infra/bundle.ts';
import { logicalId, synthesize } from './synth.ts';

type Json = Record<string, unknown>;
const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
const dashboardNameOf = (template: ReturnType<typeof synthesize>['template']) => {
  const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  expect(dashboards).toHaveLength(1);
  return ((dashboards[0] as Json).Properties as Json).DashboardName;
};

describe('the usage dashboard name', () => {
  it('carries the region, so one stage deployed to two regions of an account gets two dashboards', () => {
    const account = '123456789012';
    const ireland = synthesize({ stage: 'prod', env: { account, region: 'eu-west-1' } });
    const virginia = synthesize({ stage: 'prod', env: { account, region: 'us-east-1' } });
    expect(dashboardNameOf(ireland.template)).toBe('tessera-prod-usage-eu-west-1');
    expect(dashboardNameOf(virginia.template)).toBe('tessera-prod-usage-us-east-1');
  });

  it('takes the region of the deployment when the stack is environment-agnostic', () => {
    const { template } = synthesize({ stage: 'dev' });
    expect(dashboardNameOf(template)).toEqual({
      'Fn::Join': ['', ['tessera-dev-usage-', { Ref: 'AWS::Region' }]],
    });
  });
});

describe('the function outputs', () => {
  const { template } = synthesize();
  const outputs = template.findOutputs('*');

  for (const name of FUNCTION_NAMES) {
    it(`output the ${name} function's generated name and its ARN`, () => {
      const id = logicalId(template, 'AWS::Lambda::Function', `Functions${pascal(name)}Function`);
      expect(outputs[`${pascal(name)}FunctionName`]?.Value).toEqual({ Ref: id });
      expect(outputs[`${pascal(name)}FunctionArn`]?.Value).toEqual({ 'Fn::GetAtt': [id, 'Arn'] });
      // CloudFormation chooses the name: nothing may assume one such as "tessera-verify".
      const fn = template.findResources('AWS::Lambda::Function')[id] as { Properties: Json };
      expect(fn.Properties.FunctionName).toBeUndefined();
    });
  }
});
