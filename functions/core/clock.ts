// Time as a dependency: the core never reads the system clock itself, so tests can freeze it.

/** Milliseconds since the Unix epoch, like `Date.now()`. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Whole seconds since the epoch, rounded down, as JWT `iat`/`exp` use. */
export function epochSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

/** An ISO-8601 UTC string for an epoch-seconds instant, or null. */
export function isoFromSeconds(seconds: number | null | undefined): string | null {
  return seconds === null || seconds === undefined ? null : new Date(seconds * 1000).toISOString();
}
