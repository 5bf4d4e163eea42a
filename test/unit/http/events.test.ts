// Telling Lambda events apart by shape, and reading both API Gateway payload versions into one request.
import { describe, expect, it } from 'vitest';
import { eventKind, httpInput } from '../../../functions/http/events.ts';
import {
  httpApiAuthorizerEvent,
  httpApiEvent,
  requestAuthorizerEvent,
  restApiEvent,
  tokenAuthorizerEvent,
} from './fixture-events.ts';

describe('eventKind', () => {
  it('recognizes each documented API Gateway event by its shape', () => {
    expect(eventKind(httpApiEvent('GET', '/v1/me'))).toBe('http-v2');
    expect(eventKind(restApiEvent('GET', '/v1/me'))).toBe('rest-v1');
    expect(eventKind(httpApiAuthorizerEvent('Bearer x'))).toBe('authorizer-http-v2');
    expect(eventKind(tokenAuthorizerEvent('Bearer x'))).toBe('authorizer-token');
    expect(eventKind(requestAuthorizerEvent('Bearer x'))).toBe('authorizer-request');
  });

  it('takes anything else for a direct invocation, including events that are not objects', () => {
    for (const event of [{ token: 'x' }, { ecosystemId: 'e', userId: 'u' }, {}, 'text', 42, null, [1]]) {
      expect(eventKind(event)).toBe('direct');
    }
  });

  it('does not mistake a direct event that borrows one API Gateway field for an HTTP event', () => {
    expect(eventKind({ version: '2.0', rawPath: '/v1/me' })).toBe('direct');
    expect(eventKind({ httpMethod: 'GET', path: '/v1/me' })).toBe('direct');
  });
});

describe('httpInput', () => {
  it('reads a REST event: lower-cased headers, repeated query fields kept, the base64 body decoded', () => {
    const event = restApiEvent('POST', '/v1/tokens/verify', {
      headers: { 'X-Custom': 'one' },
      query: { ttl: ['1', '2'] },
      body: { token: 'abc' },
      base64: true,
    });
    const input = httpInput(event, 'rest-v1');
    expect(input.method).toBe('POST');
    expect(input.path).toBe('/v1/tokens/verify');
    expect(input.headers['x-custom']).toBe('one');
    expect(input.headers['content-type']).toBe('application/json');
    expect(input.query).toEqual([
      ['ttl', '1'],
      ['ttl', '2'],
    ]);
    expect(JSON.parse(input.body.toString('utf8'))).toEqual({ token: 'abc' });
  });

  it('removes a named HTTP API stage from rawPath, and keeps the raw query string order', () => {
    const input = httpInput(httpApiEvent('GET', '/v1/me?b=2&a=1', { stage: 'prod' }), 'http-v2');
    expect(input.path).toBe('/v1/me');
    expect(input.query).toEqual([
      ['b', '2'],
      ['a', '1'],
    ]);
  });

  it("hands over the Lambda authorizer's context from either payload version", () => {
    const context = { userId: 'alice', ecosystemId: 'eco1' };
    expect(httpInput(httpApiEvent('GET', '/v1/me', { authorizer: context }), 'http-v2').authorizer).toEqual(
      context,
    );
    expect(httpInput(restApiEvent('GET', '/v1/me', { authorizer: context }), 'rest-v1').authorizer).toEqual({
      principalId: 'alice',
      ...context,
    });
    expect(httpInput(restApiEvent('GET', '/v1/me'), 'rest-v1').authorizer).toBeUndefined();
  });
});
