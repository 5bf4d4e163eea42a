// The one log line of a request (each front door's and the authorizer's): its fields and, in Lambda, its
// token count as EMF members (functions/http/metrics.ts), in one JSON object written once. It is the hot
// path's only output, so it is built here by hand in the shape of the Powertools Logger's own lines (its
// keys: level, message, timestamp, service, cold_start, the function and request id), which cost several
// times as much to produce through the Logger; the Logger still decides the level and writes every other
// line.
//
// At a log level that leaves INFO out, the line still goes out with its EMF members alone, so metrics never
// depend on the log level; with neither, nothing is written.
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { type EmfMembers, METRICS_SERVICE } from './metrics.ts';

/** Powertools' number for INFO (LogLevelThreshold.INFO): a logger whose `level` is above it drops INFO. */
const INFO = 12;

/** Milliseconds since `started` (a performance.now() reading), to a tenth. */
export function latencySince(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}

/** A request's own fields; none ever holds a header, a body or a parameter, so never a token or secret. */
export type LineFields = Record<string, string | number | boolean | undefined>;

/**
 * Writes each request's one line for one function: made once per handler, so it knows the container's first
 * invocation (`cold_start`).
 *
 * @example
 * const log = new RequestLog(logger);
 * log.write('request', context, { function: 'verify', status: 200, latencyMs }, emf);
 */
export class RequestLog {
  readonly #logger: Logger;
  readonly #service: string;
  #coldStart = true;

  constructor(logger: Logger, service: string = METRICS_SERVICE) {
    this.#logger = logger;
    this.#service = service;
  }

  write(
    message: string,
    context: Context | undefined,
    fields: LineFields,
    emf: EmfMembers | undefined,
  ): void {
    const coldStart = this.#coldStart;
    this.#coldStart = false;
    if (this.#logger.level > INFO) {
      if (emf !== undefined) process.stdout.write(`${JSON.stringify(emf)}\n`);
      return;
    }
    const line: Record<string, unknown> = {
      level: 'INFO',
      message,
      timestamp: new Date().toISOString(),
      service: this.#service,
      cold_start: coldStart,
    };
    // The function and the invocation, to find the line beside Lambda's own REPORT line. Not the ARN and
    // the memory size the Logger adds: constant per function, they are in its log group and REPORT line, and
    // a verify's line is most of what CloudWatch Logs bills it for (docs/SCALING.md).
    if (context?.functionName !== undefined) {
      line.function_name = context.functionName;
      line.function_request_id = context.awsRequestId;
    }
    // Lambda sets the trace header per invocation when tracing is on.
    const trace = process.env._X_AMZN_TRACE_ID;
    if (trace !== undefined) line.xray_trace_id = trace.split(';')[0]?.replace('Root=', '');
    Object.assign(line, fields, emf);
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }
}
