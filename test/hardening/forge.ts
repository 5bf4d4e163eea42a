// Hand-built JWS for the attack tests: any header and payload text, signed by any P-256 key (the service's
// own included) or by none, plus the ECDSA s -> n - s malleation and the authorizer events of both APIs.
import { createHmac, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import type {
  APIGatewayRequestAuthorizerEvent,
  APIGatewayRequestAuthorizerEventV2,
  APIGatewayTokenAuthorizerEvent,
} from 'aws-lambda';
import type { Signer } from '../../functions/core/ports.ts';

/** The order n of the P-256 group. */
export const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

export const b64url = (value: string | Uint8Array): string => Buffer.from(value).toString('base64url');
export const fromB64url = (segment: string): Buffer => Buffer.from(segment, 'base64url');

/** A JSON text for a header or payload; strings are taken as written (duplicate members, odd spacing). */
export const jsonText = (value: unknown): string =>
  typeof value === 'string' ? value : JSON.stringify(value);

export function signingInputOf(header: unknown, payload: unknown): string {
  return `${b64url(jsonText(header))}.${b64url(jsonText(payload))}`;
}

/**
 * Signs with a service Signer (the local signer holds the real key): a token only the key holder makes.
 *
 * @example
 * const forged = await signWithService(signer, { alg: 'ES256', typ: 'JWT', kid, crit: ['exp'] }, payload);
 */
export async function signWithService(signer: Signer, header: unknown, payload: unknown): Promise<string> {
  const input = signingInputOf(header, payload);
  return `${input}.${b64url(await signer.sign(new TextEncoder().encode(input)))}`;
}

/** Signs with any P-256 private key, raw r‖s unless `der` is asked for. */
export function signWithKey(key: KeyObject, header: unknown, payload: unknown, der = false): string {
  const input = signingInputOf(header, payload);
  const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: der ? 'der' : 'ieee-p1363' });
  return `${input}.${b64url(signature)}`;
}

export function hs256(secret: string | Uint8Array, header: unknown, payload: unknown): string {
  const input = signingInputOf(header, payload);
  return `${input}.${b64url(createHmac('sha256', secret).update(input).digest())}`;
}

export function withSignature(token: string, signature: string | Uint8Array): string {
  const segment = typeof signature === 'string' ? signature : b64url(signature);
  return `${token.slice(0, token.lastIndexOf('.'))}.${segment}`;
}

export const signatureOf = (token: string): Buffer => fromB64url(token.slice(token.lastIndexOf('.') + 1));

/** The header and payload of a token as objects. */
export function partsOf(token: string): {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
} {
  const [header = '', payload = ''] = token.split('.');
  return {
    header: JSON.parse(fromB64url(header).toString()),
    payload: JSON.parse(fromB64url(payload).toString()),
  };
}

/**
 * The same ECDSA signature with s replaced by n - s: a different string that verifies just the same.
 *
 * @example
 * const twin = malleate(token); // twin !== token, same jti, same verdict
 */
export function malleate(token: string): string {
  const signature = signatureOf(token);
  const s = BigInt(`0x${signature.subarray(32).toString('hex')}`);
  const flipped = Buffer.from((P256_N - s).toString(16).padStart(64, '0'), 'hex');
  return withSignature(token, Buffer.concat([signature.subarray(0, 32), flipped]));
}

export const newP256Key = (): { privateKey: KeyObject; publicKey: KeyObject } =>
  generateKeyPairSync('ec', { namedCurve: 'P-256' });

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
