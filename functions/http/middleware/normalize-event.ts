// First middleware: tells the event's kind by shape (HTTP API 2.0, REST 1.0, direct) and reads an HTTP event
// of either payload version into the same plain request (functions/http/events.ts).
import { eventKind, httpInput } from '../events.ts';
import { type FrontDoorMiddleware, type FrontDoorRequest, isHttp } from './state.ts';

/**
 * @example
 * middy(handler).use(normalizeEvent());
 */
export function normalizeEvent<D>(): FrontDoorMiddleware<D> {
  return {
    before: (request: FrontDoorRequest<D>) => {
      const state = request.internal;
      state.started = performance.now();
      state.routeId = 'unmatched';
      state.kind = eventKind(request.event);
      // A field of the right name but the wrong type throws here: not a request we can route (a 400).
      if (isHttp(state.kind)) state.input = httpInput(request.event, state.kind);
    },
  };
}
