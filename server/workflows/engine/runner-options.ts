import type { Clock } from '../../shared/clock.js';
import type { EngineDb } from './db.types.js';
import { type EngineLogger } from './engine-logger.js';
import type { WorkflowItemRow } from './engine.types.js';
import type { JournalPoint } from './simulated-crash.js';
import { type WorkflowDefinition } from './step-context.js';

/** What a {@link WorkflowRunner} is built with (defaults in workflow-runner.ts). */
export interface RunnerOptions {
  db: EngineDb;
  clock: Clock;
  definitions: WorkflowDefinition[];
  /** Items run at once (Partner Center calls are further limited per tenant by the client). */
  concurrency?: number;
  /** Wall-clock poll interval, for work that became due without a clock jump. */
  pollIntervalMs?: number;
  leaseMs?: number;
  /** Recheck backoff for waiting items, business time. */
  recheckMinMs?: number;
  recheckMaxMs?: number;
  /** Transport retries of a step before its item fails. */
  maxAttempts?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  owner?: string;
  onWorkflowChanged?: (workflowId: string) => void;
  /** Every change, at once and uncoalesced (the response cache drops what shows workflows). */
  onWorkflowWritten?: (workflowId: string) => void;
  /**
   * Changes of one workflow within this many ms are reported once (at the end of the window): a
   * large run changes its workflow hundreds of times a second, and each report reads the
   * workflow and notifies subscribers (across replicas on PostgreSQL). 0 reports each change.
   */
  changeCoalesceMs?: number;
  onError?: (error: unknown, item: WorkflowItemRow) => void;
  /** Operator logs (pino-compatible): a workflow's end at info, a step retry or failure at warn. */
  logger?: EngineLogger;
  /** Test hook: called at each journal point; throw SimulatedCrash to "kill the process" there. */
  crashHook?: (point: JournalPoint, item: WorkflowItemRow) => void;
  random?: () => number;
}
