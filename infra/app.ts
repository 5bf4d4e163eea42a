// The CDK app: one environment-agnostic Tessera stack, configured by context (`-c stage=dev`), checked by
// cdk-nag's AwsSolutions rules at every synth.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { propsFromContext } from './context.ts';
import { TesseraStack } from './tessera-stack.ts';

const app = new App();
const props = propsFromContext((key) => app.node.tryGetContext(key));
new TesseraStack(app, `Tessera-${props.stage ?? 'prod'}`, {
  ...props,
  description: 'Tessera: user tokens (ES256 JWTs signed by KMS, state in DynamoDB) on Lambda',
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
