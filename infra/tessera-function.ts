// One Tessera Lambda function: bundled by the shared build definition, Node.js 22 on arm64, its own role
// (no managed policy: it may write to its own log group and nothing else until granted) and log group.
import { join } from 'node:path';
import { AssetHashType, Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { bundleFunctionSync, type LambdaFunctionName, ROOT } from './bundle.ts';

export interface TesseraFunctionProps {
  name: LambdaFunctionName;
  /** Configuration the function reads once at cold start (never a secret: secrets are read by ARN). */
  environment: Record<string, string>;
  logRetention: logs.RetentionDays;
  /** What happens to the log group when the stack is deleted. */
  logRemovalPolicy: RemovalPolicy;
  /** @default 256 */
  memorySize?: number;
  /** @default 10 seconds (API Gateway gives up at 30) */
  timeout?: Duration;
}

/** The runtime of every function; the bundles target the same Node.js version (`LAMBDA_NODE_TARGET`). */
export const FUNCTION_RUNTIME = lambda.Runtime.NODEJS_22_X;

/**
 * Code for one function, bundled locally by esbuild through `infra/bundle.ts` (no Docker). The asset hash
 * is the bundle's (it includes the shared code), so an unchanged bundle is not uploaded again.
 *
 * @example
 * const code = bundledCode('verify'); // index.mjs exporting `handler`
 */
export function bundledCode(name: LambdaFunctionName): lambda.Code {
  // The source path keys CDK's bundling cache: one shared path would hand every function the first bundle.
  return lambda.Code.fromAsset(join(ROOT, 'functions', name), {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      image: FUNCTION_RUNTIME.bundlingImage, // required by the type, never used: local bundling succeeds
      local: {
        tryBundle(outputDir: string): boolean {
          bundleFunctionSync(name, outputDir);
          return true;
        },
      },
    },
  });
}

/**
 * A Lambda function with its role and log group. Grant it what it needs with the resources' `grant*`.
 *
 * @example
 * const verify = new TesseraFunction(this, 'Verify', { name: 'verify', environment, logRetention, logRemovalPolicy });
 * table.grant(verify, 'dynamodb:GetItem');
 */
export class TesseraFunction extends Construct implements iam.IGrantable {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly grantPrincipal: iam.IPrincipal;

  constructor(scope: Construct, id: string, props: TesseraFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Tessera ${props.name} function: its log group, then only what the stack grants it.`,
    });
    this.logGroup.grantWrite(this.role);
    this.grantPrincipal = this.role;
    this.function = new lambda.Function(this, 'Function', {
      description: `Tessera ${props.name}`,
      runtime: FUNCTION_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: bundledCode(props.name),
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(10),
      role: this.role,
      logGroup: this.logGroup,
      environment: props.environment,
    });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is deliberate: the bundles are built for node22 (LAMBDA_NODE_TARGET in infra/bundle.ts) and ' +
        'tested on Node 20/22; a runtime upgrade changes both together, after the tests pass on it.',
    });
  }
}
