// The authorizer events of both API Gateway flavours (HTTP API REQUEST, REST TOKEN and REQUEST) carrying a
// bearer token, for the attack and fault tests that knock on every door.
import type {
  APIGatewayRequestAuthorizerEvent,
  APIGatewayRequestAuthorizerEventV2,
  APIGatewayTokenAuthorizerEvent,
} from 'aws-lambda';

/** An HTTP API (payload 2.0) REQUEST authorizer event carrying `Authorization: Bearer <token>`. */
export function httpApiAuthorizerEvent(token: string): APIGatewayRequestAuthorizerEventV2 {
  const authorization = `Bearer ${token}`;
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: 'arn:aws:execute-api:eu-west-1:123456789012:api1/$default/GET/v1/me',
    identitySource: [authorization],
    routeKey: 'GET /v1/me',
    rawPath: '/v1/me',
    rawQueryString: '',
    cookies: [],
    headers: { authorization },
    queryStringParameters: {},
    requestContext: {
      accountId: '123456789012',
      apiId: 'api1',
      domainName: 'api1.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'api1',
      http: { method: 'GET', path: '/v1/me', protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'test' },
      requestId: 'req-1',
      routeKey: 'GET /v1/me',
      stage: '$default',
      time: '23/Nov/2026:18:00:00 +0000',
      timeEpoch: 1_795_000_000_000,
    },
    pathParameters: {},
    stageVariables: {},
  };
}

/** A REST API TOKEN authorizer event. */
export function restTokenAuthorizerEvent(token: string): APIGatewayTokenAuthorizerEvent {
  return {
    type: 'TOKEN',
    authorizationToken: `Bearer ${token}`,
    methodArn: 'arn:aws:execute-api:eu-west-1:123456789012:api1/prod/GET/v1/me',
  };
}

/** A REST API REQUEST authorizer event (identity source: the Authorization header). */
export function restRequestAuthorizerEvent(token: string): APIGatewayRequestAuthorizerEvent {
  const authorization = `Bearer ${token}`;
  return {
    type: 'REQUEST',
    methodArn: 'arn:aws:execute-api:eu-west-1:123456789012:api1/prod/GET/v1/me',
    resource: '/v1/me',
    path: '/v1/me',
    httpMethod: 'GET',
    headers: { Authorization: authorization },
    multiValueHeaders: { Authorization: [authorization] },
    pathParameters: null,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api1',
      authorizer: undefined,
      httpMethod: 'GET',
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: '192.0.2.1',
        user: null,
        userAgent: 'test',
        userArn: null,
      },
      path: '/prod/v1/me',
      protocol: 'HTTP/1.1',
      requestId: 'req-1',
      requestTimeEpoch: 1_795_000_000_000,
      resourceId: 'res1',
      resourcePath: '/v1/me',
      stage: 'prod',
    },
  };
}
