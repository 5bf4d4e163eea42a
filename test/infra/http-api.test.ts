// The HTTP API construct on its own: path translation for API Gateway, and the authorizer wiring of routes
// for a user token (a route kind the stack's route table may add at any time).
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { type ApiRoute, apiGatewayPath, TesseraHttpApi } from '../../infra/http-api.ts';

function apiWith(routes: ApiRoute[], cacheSeconds = 0) {
  const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Api');
  const fn = (id: string) =>
    new lambda.Function(stack, id, {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('export const handler = async () => ({});'),
    });
  const functions = { verify: fn('Verify'), admin: fn('Admin') };
  new TesseraHttpApi(stack, 'HttpApi', {
    routes,
    functions,
    fallbackFunction: 'admin',
    authorizer: fn('Authorizer'),
    authorizerCacheTtl: Duration.seconds(cacheSeconds),
    throttle: { rateLimit: 10, burstLimit: 20 },
    corsAllowOrigins: ['https://app.example.com'],
    logRetention: logs.RetentionDays.ONE_WEEK,
    logRemovalPolicy: RemovalPolicy.DESTROY,
  });
  return { template: Template.fromStack(stack), stack };
}

describe('apiGatewayPath', () => {
  it('keeps whole-segment parameters as they are', () => {
    expect(apiGatewayPath('/v1/ecosystems/{ecosystemId}/users/{userId}/tokens')).toBe(
      '/v1/ecosystems/{ecosystemId}/users/{userId}/tokens',
    );
    expect(apiGatewayPath('/.well-known/jwks.json')).toBe('/.well-known/jwks.json');
  });

  it('turns a segment holding two parameters into one whole path variable', () => {
    expect(apiGatewayPath('/api/users/{ecosystemId};{userId}/tokens')).toBe(
      '/api/users/{ecosystemUser}/tokens',
    );
  });
});

describe('TesseraHttpApi', () => {
  const me: ApiRoute = { method: 'GET', path: '/v1/me', function: 'verify', access: 'user' };
  const verify: ApiRoute = {
    method: 'POST',
    path: '/v1/tokens/verify',
    function: 'verify',
    access: 'public',
  };

  it('sends user-token routes through the Lambda authorizer and leaves the others to their function', () => {
    const { template } = apiWith([me, verify]);
    const authorizerId = Object.keys(template.findResources('AWS::ApiGatewayV2::Authorizer'))[0];
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'GET /v1/me',
      AuthorizationType: 'CUSTOM',
      AuthorizerId: { Ref: authorizerId },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'POST /v1/tokens/verify',
      AuthorizationType: 'NONE',
    });
  });

  it('shares one integration per function across its routes', () => {
    const { template } = apiWith([me, verify]);
    template.resourceCountIs('AWS::ApiGatewayV2::Integration', 2); // verify's, and admin's for $default
  });

  it('caches authorizer answers only for the time it is given', () => {
    const { template } = apiWith([me], 300);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerResultTtlInSeconds: 300 });
  });

  it('takes the throttle and CORS origins it is given', () => {
    const { template } = apiWith([verify]);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: { AllowOrigins: ['https://app.example.com'] },
    });
  });

  it('configures no CORS at all when no origin is allowed', () => {
    const stack = new Stack(new App(), 'NoCors');
    const fn = new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('export const handler = async () => ({});'),
    });
    new TesseraHttpApi(stack, 'HttpApi', {
      routes: [verify],
      functions: { verify: fn },
      fallbackFunction: 'verify',
      authorizer: fn,
      authorizerCacheTtl: Duration.seconds(0),
      throttle: { rateLimit: 10, burstLimit: 20 },
      corsAllowOrigins: [],
      logRetention: logs.RetentionDays.ONE_WEEK,
      logRemovalPolicy: RemovalPolicy.DESTROY,
    });
    const api = Object.values(Template.fromStack(stack).findResources('AWS::ApiGatewayV2::Api'))[0];
    expect(api?.Properties.CorsConfiguration).toBeUndefined();
  });

  it('refuses a route whose function does not exist', () => {
    expect(() => apiWith([{ ...verify, function: 'nobody' }])).toThrow(/No function "nobody"/);
  });
});
