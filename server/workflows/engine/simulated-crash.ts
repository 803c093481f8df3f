/**
 * Thrown by a test's crash hook at a journal point to simulate the process dying there. The runner
 * lets it through untouched and stops: nothing after the point runs in that "process".
 */
export class SimulatedCrash extends Error {
  constructor(readonly point: string) {
    super(`simulated crash at ${point}`);
    this.name = 'SimulatedCrash';
  }
}

/** Journal points, in the order one step passes them. */
export type JournalPoint =
  | 'before-step'
  | 'after-intent'
  | 'after-call'
  | 'after-result'
  | 'before-outcome'
  | 'after-outcome';
