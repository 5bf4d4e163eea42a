// A clock tests set and move by hand, so expiry is tested at exact seconds without sleeping.
import type { Clock } from '../../functions/core/clock.ts';

export interface FrozenClock extends Clock {
  /** Epoch seconds now. */
  seconds(): number;
  advance(seconds: number): void;
  set(epochSeconds: number): void;
}

export function frozenClock(startSeconds = 1_800_000_000): FrozenClock {
  let ms = startSeconds * 1000;
  return {
    now: () => ms,
    seconds: () => Math.floor(ms / 1000),
    advance: (seconds) => {
      ms += seconds * 1000;
    },
    set: (seconds) => {
      ms = seconds * 1000;
    },
  };
}
