import { addDuration } from './duration.js';

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

  constructor(start: string) {
    this.ms = Date.parse(start);
    if (Number.isNaN(this.ms)) {
      throw new RangeError(`Invalid clock start: ${start}`);
    }
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

  /** Internal: replaces the time outright (state load, reset). */
  reset(iso: string): void {
    this.ms = Date.parse(iso);
  }

  advance(duration: string | number): Promise<void> {
    const target = addDuration(this.now(), duration);
    if (target.getTime() < this.ms) {
      return Promise.reject(new RangeError('The clock cannot go backwards with advance()'));
    }
    this.runTo(target);
    return Promise.resolve();
  }

  set(iso: string): Promise<void> {
    const target = new Date(iso);
    if (Number.isNaN(target.getTime())) {
      return Promise.reject(new RangeError(`Invalid instant: ${iso}`));
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
