import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Why a Partner Center call is made, when it is not a workflow step's own work: the
 * transfer-integrity watch after a completed transfer (issue 15) spends the same 500 requests/min
 * of a tenant as the migration does, and operators (the `partner center call` debug log) and the
 * bench (issue 20: calls per migrated subscription with and without it) tell them apart by it.
 * AsyncLocalStorage, so every call the wrapped work starts, retries included, carries it.
 */
export type CallPurpose = 'transfer-integrity-watch';

const storage = new AsyncLocalStorage<CallPurpose>();

/** Runs `fn` with the Partner Center calls it makes labelled `purpose`. */
export function withCallPurpose<T>(purpose: CallPurpose, fn: () => T): T {
  return storage.run(purpose, fn);
}

/** The purpose of the calls made here (undefined: a step's, a query's or a mutation's own). */
export function callPurpose(): CallPurpose | undefined {
  return storage.getStore();
}
