import type { StepOutcome, WorkflowItemRow } from './engine.types.js';
import { type ItemUpdate } from './workflow.repository.js';

// What the runner makes of a step's outcome or of its exception.

export function isRetryable(error: unknown): boolean {
  if (error && typeof error === 'object' && 'retryable' in error) {
    return Boolean((error as { retryable: unknown }).retryable);
  }
  // fetch's network failures surface as TypeError("fetch failed") or AbortError on timeouts.
  return error instanceof TypeError || (error instanceof Error && error.name === 'AbortError');
}

export function describeError(error: unknown): { code: string; message: string } {
  if (error && typeof error === 'object') {
    const e = error as {
      code?: unknown;
      description?: unknown;
      status?: unknown;
      message?: unknown;
    };
    const code =
      e.code !== undefined
        ? String(e.code)
        : e.status !== undefined
          ? `HTTP_${String(e.status)}`
          : 'STEP_ERROR';
    const message = typeof e.description === 'string' ? e.description : String(e.message ?? error);
    return { code, message };
  }
  return { code: 'STEP_ERROR', message: String(error) };
}

/** The item's next row from a step's outcome (a wait without `until` backs off exponentially). */
export function toItemUpdate(
  item: WorkflowItemRow,
  data: Record<string, unknown>,
  outcome: StepOutcome,
  at: Date,
  opts: { recheckMinMs: number; recheckMaxMs: number },
): ItemUpdate {
  const nowIso = at.toISOString();
  const merged = { ...data, ...(outcome.data ?? {}) };
  const state = ('state' in outcome && outcome.state) || item.state;
  switch (outcome.type) {
    case 'next':
      return {
        status: 'RUNNING',
        state,
        step: outcome.step,
        data: merged,
        nextRunAt: nowIso,
        attempts: 0,
        recheckCount: 0,
      };
    case 'wait': {
      const delay = Math.min(opts.recheckMaxMs, opts.recheckMinMs * 2 ** item.recheckCount);
      const until = outcome.until ?? new Date(at.getTime() + delay);
      return {
        status: 'WAITING',
        state,
        step: outcome.step ?? item.step,
        data: merged,
        nextRunAt: until.toISOString(),
        attempts: 0,
        recheckCount: outcome.until ? 0 : item.recheckCount + 1,
        waitingReason: outcome.reason,
      };
    }
    case 'done':
      return {
        status: 'DONE',
        state,
        step: item.step,
        data: merged,
        nextRunAt: null,
        attempts: 0,
        completedAt: nowIso,
      };
    case 'blocked':
      return {
        status: 'BLOCKED',
        state,
        step: item.step,
        data: merged,
        nextRunAt: null,
        lastError: `${outcome.code}: ${outcome.message}`,
        completedAt: nowIso,
      };
    case 'failed':
      return {
        status: 'FAILED',
        state,
        step: item.step,
        data: merged,
        nextRunAt: null,
        attempts: item.attempts + 1,
        lastError: `${outcome.code}: ${outcome.message}`,
        completedAt: nowIso,
      };
  }
}
