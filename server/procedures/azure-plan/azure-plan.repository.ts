import { and, asc, eq, inArray } from 'drizzle-orm';
import { tablesOf } from '../../db/client.js';
import { type ActivityEntryRow } from '../../modules/activity-log/activity.repository.js';
import { type EngineDb } from '../../workflows/engine/db.types.js';
import { type WorkflowRow } from '../../workflows/engine/engine.types.js';
import { TRANSITION } from './azure-plan.model.js';

/**
 * Azure plan transitions of an organization for one customer (any partner tenant), in the given
 * workflow statuses: the customer-level item names the customer.
 */
export async function transitionsOfCustomer(
  db: EngineDb,
  organizationId: string,
  customerTenantId: string,
  statuses: string[],
): Promise<WorkflowRow[]> {
  const { workflows, workflowItems } = tablesOf(db);
  const rows = await db
    .select({ workflow: workflows })
    .from(workflows)
    .innerJoin(workflowItems, eq(workflowItems.workflowId, workflows.id))
    .where(
      and(
        eq(workflows.organizationId, organizationId),
        eq(workflows.kind, 'AZURE_PLAN_TRANSITION'),
        inArray(workflows.status, statuses),
        eq(workflowItems.kind, TRANSITION),
        eq(workflowItems.customerTenantId, customerTenantId),
      ),
    );
  return rows.map((r) => r.workflow);
}

/** Our own activity entries (kept beyond Partner Center's 90 days) about some subscriptions of a customer. */
export async function activityOfSubscriptions(
  db: EngineDb,
  organizationId: string,
  customerTenantId: string,
  subscriptionIds: string[],
): Promise<ActivityEntryRow[]> {
  if (subscriptionIds.length === 0) {
    return [];
  }
  const { activityEntries } = tablesOf(db);
  return db
    .select()
    .from(activityEntries)
    .where(
      and(
        eq(activityEntries.organizationId, organizationId),
        eq(activityEntries.customerTenantId, customerTenantId),
        eq(activityEntries.source, 'PRODUCT'),
        inArray(activityEntries.subscriptionId, subscriptionIds),
      ),
    )
    .orderBy(asc(activityEntries.at), asc(activityEntries.id));
}
