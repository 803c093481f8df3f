import type { BlockerCode } from '../../shared/error-codes.js';
import type { WorkflowEventType } from '../../shared/workflow-event-types.js';
import type { workflowItems, workflows } from '../../../schema/workflow-tables.js';

export type WorkflowRow = typeof workflows.$inferSelect;
export type WorkflowItemRow = typeof workflowItems.$inferSelect;
/**
 * A workflow row without its input (which grows with the workflow: a 5,000-customer plan's input
 * names every customer). What the runner reads per claim and gives to steps.
 */
export type WorkflowHead = Omit<WorkflowRow, 'inputJson'>;

/** Contract enum `WorkflowStatus`. */
export type WorkflowStatus = 'DRAFT' | 'RUNNING' | 'WAITING' | 'COMPLETED' | 'FAILED' | 'CANCELED';

/** Contract enum `WorkflowKind`. */
export type WorkflowKind =
  'TENANT_CONSOLIDATION' | 'SUBSCRIPTION_TRANSFER' | 'CHANNEL_MOVE' | 'AZURE_PLAN_TRANSITION';

/**
 * Engine-level item status. `PENDING` with no `nextRunAt` is held: it waits for another item
 * (its parent) to release it. Terminal: DONE, BLOCKED, FAILED, SKIPPED, CANCELED.
 */
export type ItemStatus =
  'PENDING' | 'RUNNING' | 'WAITING' | 'DONE' | 'BLOCKED' | 'FAILED' | 'SKIPPED' | 'CANCELED';

export const TERMINAL_ITEM_STATUSES: ReadonlySet<ItemStatus> = new Set([
  'DONE',
  'BLOCKED',
  'FAILED',
  'SKIPPED',
  'CANCELED',
]);

/** What a step tells the runner to do next with its item. */
export type StepOutcome =
  | {
      type: 'next';
      step: string;
      state?: string;
      data?: Record<string, unknown>;
      /** Progress the parent does not look at: its parent is not woken (saves it a step run). */
      quiet?: boolean;
    }
  | {
      type: 'wait';
      reason: string;
      /** As for `next`: the parent is not woken. */
      quiet?: boolean;
      /** Re-run the same step at this business time; default: the engine's recheck backoff. */
      until?: Date;
      state?: string;
      data?: Record<string, unknown>;
      /** Step to run when woken; default the current one. */
      step?: string;
    }
  | { type: 'done'; state?: string; data?: Record<string, unknown> }
  | {
      type: 'blocked';
      code: BlockerCode;
      message: string;
      state?: string;
      data?: Record<string, unknown>;
    }
  | { type: 'failed'; code: string; message: string; data?: Record<string, unknown> };

export interface NewItem {
  id: string;
  kind: string;
  state: string;
  step: string;
  status?: ItemStatus;
  /** Runnable from this time (ISO); null = held until released. */
  nextRunAt: string | null;
  parentItemId?: string | null;
  customerTenantId?: string | null;
  partnerTenantId?: string | null;
  subject?: string | null;
  data: Record<string, unknown>;
}

export interface NewEvent {
  type: WorkflowEventType;
  message: string;
  itemId?: string | null;
  customerTenantId?: string | null;
  partnerTenantId?: string | null;
  subscriptionId?: string | null;
  data?: Record<string, unknown>;
}

export interface NewBlocker {
  code: BlockerCode;
  message: string;
  itemId?: string | null;
  customerTenantId?: string | null;
  partnerTenantId?: string | null;
  subject?: string | null;
}
