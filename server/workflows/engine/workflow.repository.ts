/**
 * The engine's storage, one module per concern: workflows (rows, events, blockers), items (reads
 * and wakes), lifecycle (start, cancel, a step's outcome, the workflow status), claims (leases)
 * and the step journal. Callers import from here.
 */
export * from './claims.repository.js';
export * from './items.repository.js';
export * from './journal.repository.js';
export * from './lifecycle.repository.js';
export * from './sweep.repository.js';
export type { WorkflowBlockerRow, WorkflowEventRow, WorkflowStepRow } from './row-values.js';
export * from './workflows.repository.js';
