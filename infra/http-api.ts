// The HTTP API: every route of the route table, one Lambda integration per function, the Lambda authorizer
// on routes for a user token, and a default stage with throttling and JSON access logs.
import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  CORS_ALLOW_HEADERS,
  CORS_ALLOW_METHODS,
  CORS_EXPOSE_HEADERS,
  CORS_MAX_AGE_SECONDS,
} from '../functions/http/cors.ts';

/** The part of a route-table entry the API needs (`functions/http/routes.ts`). */
export interface ApiRoute {
  method: string;
  path: string;
  function: string;
  access: string;
}

export interface TesseraHttpApiProps {
  routes: readonly ApiRoute[];
  /** The function that serves each `route.function`. */
  functions: Readonly<Record<string, lambda.IFunction>>;
  /**
   * The function (a name in `functions`) that answers every request no route matches, with API.md's 404
   * ROUTE_NOT_FOUND or 405 METHOD_NOT_ALLOWED, instead of API Gateway's own `{"message":"Not Found"}`.
   */
  fallbackFunction: string;
  /** The HTTP Lambda authorizer's function, for routes whose access is `user`. */
  authorizer: lambda.IFunction;
  /**
   * How long API Gateway may reuse an authorizer answer for the same Authorization header. 0 (the default)
   * asks the authorizer every time, so a revoked token is refused on its next request.
   */
  authorizerCacheTtl: Duration;
  /** The default stage's throttle, which an HTTP API applies to each route on its own. */
  throttle: { rateLimit: number; burstLimit: number };
  /**
   * Origins browsers may call from (empty: none); credentials are bearer headers, never cookies. The
   * functions get the same list (TESSERA_CORS_ALLOW_ORIGINS) and answer the same way.
   */
  corsAllowOrigins: readonly string[];
  logRetention: logs.RetentionDays;
  logRemovalPolicy: RemovalPolicy;
}

/**
 * Routes behind the Lambda authorizer: those for a user token.
 *
 * @example
 * needsAuthorizer({ access: 'user' }); // true: GET /v1/me
 */
export function needsAuthorizer(route: { access: string }): boolean {
  return route.access === 'user';
}

/**
 * The API Gateway path of a route. A segment that is not one whole `{param}` (the compat route's
 * `{ecosystemId};{userId}`) becomes one whole variable, `{ecosystemUser}`: API Gateway only matches whole
 * segments, and the handler reads the raw path itself.
 *
 * @example
 * apiGatewayPath('/api/users/{ecosystemId};{userId}/tokens'); // '/api/users/{ecosystemUser}/tokens'
 */
export function apiGatewayPath(path: string): string {
  // API Gateway refuses a route path ending in '/': the console's '/console/' is served at '/console'.
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  return trimmed
    .split('/')
    .map((segment) => {
      if (!segment.includes('{') || /^\{[A-Za-z]+\}$/.test(segment)) return segment;
      const names = [...segment.matchAll(/\{([A-Za-z]+)\}/g)].map((m) => (m[1] ?? '').replace(/Id$/, ''));
      const [first = 'segment', ...rest] = names;
      return `{${first}${rest.map((n) => n.charAt(0).toUpperCase() + n.slice(1)).join('')}}`;
    })
    .join('/');
}

/**
 * Why a route has no API Gateway authorization, by access kind. A kind missing here (a new one) gets no
 * acknowledgement, so cdk-nag stops the synth until someone decides.
 */
const WHY_NO_GATEWAY_AUTHORIZATION: Readonly<Record<string, string>> = {
  account:
    'The function authenticates the account token itself (a constant-time hash comparison) before any ' +
    'work, answering 401 UNAUTHORIZED as API.md requires; an authorizer would add an invocation per request.',
  ecosystem:
    'The function authenticates the account or server token itself and checks it against the ecosystem in ' +
    'the path (401 UNAUTHORIZED, 403 FORBIDDEN as API.md requires) before any work.',
  public:
    'Public by the API contract: verify, refresh and revoke take the user token itself as the credential, ' +
    'checked by the function; the JWKS and the API description are public documents.',
};

/** One JSON line per request: who, what, how it ended. Never a header, so never a token. */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    ip: '$context.identity.sourceIp',
    requestTime: '$context.requestTime',
    method: '$context.httpMethod',
    routeKey: '$context.routeKey',
    path: '$context.path',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    latency: '$context.responseLatency',
    integrationLatency: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
    authorizerError: '$context.authorizer.error',
  }),
);

/**
 * @example
 * const api = new TesseraHttpApi(this, 'Api', { routes: ROUTES, functions, authorizer, ... });
 * new CfnOutput(this, 'ApiUrl', { value: api.url });
 */
export class TesseraHttpApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly accessLogs: logs.LogGroup;
  readonly routes: apigw.HttpRoute[] = [];

  constructor(scope: Construct, id: string, props: TesseraHttpApiProps) {
    super(scope, id);
    this.api = new apigw.HttpApi(this, 'Api', {
      description: 'Tessera: issue, verify, refresh and revoke user tokens',
      createDefaultStage: false,
      // functions/http/cors.ts is the one source of these; the functions answer preflights the same way.
      ...(props.corsAllowOrigins.length === 0
        ? {}
        : {
            corsPreflight: {
              allowOrigins: [...props.corsAllowOrigins],
              allowMethods: CORS_ALLOW_METHODS.map((method) => method as apigw.CorsHttpMethod),
              allowHeaders: [...CORS_ALLOW_HEADERS],
              exposeHeaders: [...CORS_EXPOSE_HEADERS],
              allowCredentials: false,
              maxAge: Duration.seconds(CORS_MAX_AGE_SECONDS),
            },
          }),
    });
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });
    this.stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogs),
        format: ACCESS_LOG_FORMAT,
      },
    });

    const authorizer = new HttpLambdaAuthorizer('UserTokenAuthorizer', props.authorizer, {
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: ['$request.header.Authorization'],
      resultsCacheTtl: props.authorizerCacheTtl,
    });
    const integrations = new Map<string, HttpLambdaIntegration>();
    const integrationOf = (name: string, what: string) => {
      const fn = props.functions[name];
      if (fn === undefined) throw new Error(`No function "${name}" for ${what}.`);
      let integration = integrations.get(name);
      if (integration === undefined) {
        integration = new HttpLambdaIntegration(`${name}-integration`, fn);
        integrations.set(name, integration);
      }
      return integration;
    };
    const routeKeys = new Set<string>();
    for (const route of props.routes) {
      const path = apiGatewayPath(route.path);
      // '/console' and '/console/' are one API Gateway path: the first route of a key serves it.
      if (routeKeys.has(`${route.method} ${path}`)) continue;
      routeKeys.add(`${route.method} ${path}`);
      const integration = integrationOf(route.function, `${route.method} ${route.path}`);
      // HEAD goes where GET goes: API Gateway matches methods exactly, and HEAD would fall to $default.
      const methods = route.method === 'GET' ? ['GET', 'HEAD'] : [route.method];
      const added = this.api.addRoutes({
        path,
        methods: methods.map((method) => method as apigw.HttpMethod),
        integration,
        ...(needsAuthorizer(route) ? { authorizer } : {}),
      });
      const reason = WHY_NO_GATEWAY_AUTHORIZATION[route.access];
      if (reason !== undefined) {
        for (const r of added) Validations.of(r).acknowledge({ id: 'AwsSolutions-APIG4', reason });
      }
      this.routes.push(...added);
    }
    const fallback = new apigw.HttpRoute(this, 'Fallback', {
      httpApi: this.api,
      routeKey: apigw.HttpRouteKey.DEFAULT,
      integration: integrationOf(props.fallbackFunction, 'the $default route'),
    });
    Validations.of(fallback).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'The $default route only answers requests no route matches, with 404 ROUTE_NOT_FOUND or 405 ' +
        'METHOD_NOT_ALLOWED in the API error envelope; it reaches no data and needs no credential.',
    });
    this.routes.push(fallback);
  }

  /** The API's base URL, ending with "/". */
  get url(): string {
    return this.stage.url;
  }
}
