/**
 * The one time source of the server. Production uses {@link systemClock}; in emulator mode the
 * server uses the emulator's virtual clock so that advancing it moves the workflow engine too.
 */
export interface Clock {
  now(): Date;
  /** Subscribe to jumps of a virtual clock (emulator `clock/advance`); returns an unsubscribe. */
  onChange?(listener: () => void): () => void;
}

/** Wall-clock time. */
export const systemClock: Clock = {
  now: () => new Date(),
};

/** A clock that only moves when told to: for tests. */
export function createManualClock(start: Date | string = '2026-01-05T08:00:00Z'): Clock & {
  set(at: Date | string): void;
  advance(ms: number): void;
} {
  let current = new Date(start).getTime();
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) {
      listener();
    }
  };
  return {
    now: () => new Date(current),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(at) {
      current = new Date(at).getTime();
      notify();
    },
    advance(ms) {
      current += ms;
      notify();
    },
  };
}

/** Adapts anything with `now()` and an optional `onAdvance` (the emulator's clock) to {@link Clock}. */
export function clockFrom(source: {
  now(): Date;
  onAdvance?(listener: (now: Date) => void): () => void;
}): Clock {
  const clock: Clock = { now: () => source.now() };
  if (source.onAdvance) {
    const onAdvance = source.onAdvance.bind(source);
    clock.onChange = (listener) => onAdvance(() => listener());
  }
  return clock;
}
