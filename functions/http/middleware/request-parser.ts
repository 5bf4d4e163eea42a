// Reads and checks what the caller sent, after its credential: an HTTP request's query and body against
// its route (functions/http/request.ts), or a direct invocation's members and size, refused with
// BODY_INVALID or PAYLOAD_TOO_LARGE like an HTTP body. Then it binds the answer the handler runs.
import { TesseraError } from '../../core/errors.ts';
import type { JsonObject } from '../../core/strict-json.ts';
import { MAX_BODY_BYTES, readRequest } from '../request.ts';
import type { FrontDoorMiddleware, FrontDoorRequest, PreparedCall } from './state.ts';

/** The members of a direct event, refused with BODY_INVALID or PAYLOAD_TOO_LARGE like an HTTP body. */
export function directEvent(event: unknown, members: readonly string[]): JsonObject {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new TesseraError('BODY_INVALID', 'The event must be a JSON object; see "Direct invocation".');
  }
  if (Buffer.byteLength(JSON.stringify(event), 'utf8') > MAX_BODY_BYTES) {
    throw new TesseraError('PAYLOAD_TOO_LARGE', `The event is over ${MAX_BODY_BYTES} bytes.`);
  }
  const unknown = Object.keys(event).find((name) => !members.includes(name));
  if (unknown !== undefined) {
    const allowed = members.length === 0 ? 'none' : members.join(', ');
    throw new TesseraError(
      'BODY_INVALID',
      `Event member "${unknown}" is not allowed here (allowed: ${allowed}).`,
    );
  }
  return event as JsonObject;
}

export interface RequestParserOptions<D> {
  /** The function's name, for the refusal of a direct event it does not take. */
  name: string;
  /** How the function answers a direct event, if it takes them. */
  direct?: { members: readonly string[]; run(event: JsonObject, deps: D): Promise<unknown> } | undefined;
}

/**
 * @example
 * middy(handler).use(requestParser({ name: 'verify', directMembers: ['token'] }));
 */
export function requestParser<D>(options: RequestParserOptions<D>): FrontDoorMiddleware<D> {
  const prepare = (request: FrontDoorRequest<D>): PreparedCall => {
    const { input, match, action, optionsAnswer } = request.internal;
    const deps = request.internal.deps as D;
    if (input !== undefined) {
      if (optionsAnswer !== undefined) return { run: () => optionsAnswer(deps) };
      if (match === undefined || action === undefined) throw new Error('no route was matched');
      const checked = readRequest(input, match);
      request.internal.request = checked;
      return { run: () => action(checked, deps) };
    }
    const { direct } = options;
    if (direct === undefined) {
      throw new TesseraError(
        'ROUTE_NOT_FOUND',
        `The ${options.name} function takes no direct events; call it over HTTPS (see the API reference).`,
      );
    }
    const event = directEvent(request.event, direct.members);
    request.internal.directEvent = event;
    return { run: () => direct.run(event, deps) };
  };
  return {
    before: (request: FrontDoorRequest<D>) => {
      request.event = prepare(request);
    },
  };
}
