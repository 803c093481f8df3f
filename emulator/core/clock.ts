import { addDuration, DAY_MS } from './duration.js';

/** The clock stays within years 1970–9999, so every instant has a four-digit ISO-8601 form. */
export const MIN_INSTANT_MS = Date.parse('1970-01-01T00:00:00.000Z');
export const MAX_INSTANT_MS = Date.parse('9999-12-31T23:59:59.999Z');
/** Default longest single `advance` (P1Y in a leap year); bounds the actions one call can run. */
export const DEFAULT_MAX_ADVANCE_MS = 366 * DAY_MS;

const INSTANT =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * Parses an ISO-8601 instant: a date (`2026-02-01`, midnight UTC) or a date-time with an optional
 * offset (none means UTC, not the host's zone). Throws a RangeError otherwise or out of bounds.
 */
export function parseInstant(text: string): Date {
  const trimmed = text.trim();
  if (!INSTANT.test(trimmed)) {
    throw new RangeError('Not an ISO-8601 instant (expected e.g. 2026-01-05T08:00:00Z).');
  }
  const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(trimmed) || !trimmed.includes('T');
  const ms = Date.parse(hasZone ? trimmed : `${trimmed}Z`);
  if (Number.isNaN(ms)) {
    throw new RangeError('Not a valid calendar instant.');
  }
  return checkBounds(ms);
}

function checkBounds(ms: number): Date {
  if (!Number.isFinite(ms) || ms < MIN_INSTANT_MS || ms > MAX_INSTANT_MS) {
    throw new RangeError(
      'The clock must stay between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z.',
    );
  }
  return new Date(ms);
}

/** The emulator's virtual clock (seams.md "Clock"). Time moves only when told to. */
export interface EmulatorClock {
  now(): Date;
  /** Moves time forward, running every scheduled action that falls due, in order. */
  advance(duration: string | number): Promise<void>;
  /** Jumps to an instant; moving forward runs due actions like `advance`. */
  set(iso: string): Promise<void>;
  /** Called after every advance/set with the new time. Returns an unsubscribe function. */
  onAdvance(listener: (now: Date) => void): () => void;
  /** Same as onAdvance without the argument (fits the server's `Clock.onChange`). */
  onChange(listener: () => void): () => void;
}

/**
 * Runs scheduled actions up to an instant; provided by the autopilot scheduler. It must move the
 * clock to each action's due time (through `moveTo`) before running it.
 */
export type DueRunner = (target: Date) => void;

export class VirtualClock implements EmulatorClock {
  private ms: number;
  private readonly listeners = new Set<(now: Date) => void>();
  private runner: DueRunner = () => undefined;

  constructor(
    start: string,
    private readonly maxAdvanceMs: number = DEFAULT_MAX_ADVANCE_MS,
  ) {
    this.ms = parseInstant(start).getTime();
  }

  setRunner(runner: DueRunner): void {
    this.runner = runner;
  }

  now(): Date {
    return new Date(this.ms);
  }

  /** Internal: moves time without running actions (never backwards). */
  moveTo(at: Date): void {
    if (at.getTime() > this.ms) {
      this.ms = at.getTime();
    }
  }

  /** Internal: replaces the time outright (state load, reset). Throws a RangeError when invalid. */
  reset(iso: string): void {
    this.ms = parseInstant(iso).getTime();
  }

  /** The instant `duration` after now, checked against the bounds; throws a RangeError. */
  advanceTarget(duration: string | number): Date {
    if (typeof duration === 'number' && !Number.isFinite(duration)) {
      throw new RangeError('The duration must be a finite number of milliseconds.');
    }
    const target = addDuration(this.now(), duration);
    if (Number.isNaN(target.getTime()) || target.getTime() - this.ms > this.maxAdvanceMs) {
      throw new RangeError(
        `One advance may move the clock by at most ${this.maxAdvanceMs / DAY_MS} days; advance in steps.`,
      );
    }
    if (target.getTime() < this.ms) {
      throw new RangeError('The clock cannot go backwards with advance()');
    }
    return checkBounds(target.getTime());
  }

  advance(duration: string | number): Promise<void> {
    let target: Date;
    try {
      target = this.advanceTarget(duration);
    } catch (err) {
      return Promise.reject(err as Error);
    }
    this.runTo(target);
    return Promise.resolve();
  }

  set(iso: string): Promise<void> {
    let target: Date;
    try {
      target = parseInstant(iso);
    } catch (err) {
      return Promise.reject(err as Error);
    }
    if (target.getTime() >= this.ms) {
      this.runTo(target);
    } else {
      this.ms = target.getTime();
      this.emit();
    }
    return Promise.resolve();
  }

  private runTo(target: Date): void {
    this.runner(target);
    this.ms = target.getTime();
    this.emit();
  }

  private emit(): void {
    const now = this.now();
    for (const l of [...this.listeners]) {
      l(now);
    }
  }

  onAdvance(listener: (now: Date) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  onChange(listener: () => void): () => void {
    return this.onAdvance(() => listener());
  }
}
