import type {
  workflowBlockers,
  workflowEvents,
  workflowSteps,
} from '../../../schema/workflow-tables.js';
import { type NewBlocker, type NewEvent, type WorkflowItemRow } from './engine.types.js';

export type WorkflowEventRow = typeof workflowEvents.$inferSelect;
export type WorkflowBlockerRow = typeof workflowBlockers.$inferSelect;
export type WorkflowStepRow = typeof workflowSteps.$inferSelect;

export const json = (value: unknown) => JSON.stringify(value ?? {});

/** Rows per multi-row INSERT (×≤ 23 columns stays under both dialects' parameter limits), ids per IN list. */
export const INSERT_CHUNK = 500;

export function blockerValues(blocker: NewBlocker) {
  return {
    code: blocker.code,
    message: blocker.message,
    itemId: blocker.itemId ?? null,
    customerTenantId: blocker.customerTenantId ?? null,
    partnerTenantId: blocker.partnerTenantId ?? null,
    subject: blocker.subject ?? null,
  };
}

export function eventValues(event: NewEvent) {
  return {
    type: event.type,
    message: event.message,
    itemId: event.itemId ?? null,
    customerTenantId: event.customerTenantId ?? null,
    partnerTenantId: event.partnerTenantId ?? null,
    subscriptionId: event.subscriptionId ?? null,
    dataJson: event.data ? JSON.stringify(event.data) : null,
  };
}

/** The BLOCKER event row journalling a blocker raised on `item` (sweeps, flagItemOnce). */
export function itemBlockerEventValues(item: WorkflowItemRow, blocker: NewBlocker, at: string) {
  return {
    ...eventValues({
      type: 'BLOCKER',
      message: blocker.message,
      itemId: item.id,
      customerTenantId: item.customerTenantId,
      subscriptionId: blocker.subject ?? null,
    }),
    workflowId: item.workflowId,
    at,
  };
}
