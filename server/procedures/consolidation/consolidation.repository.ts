import { and, eq, inArray, ne } from 'drizzle-orm';
import { tablesOf } from '../../db/client.js';
import { type EngineDb } from '../../workflows/engine/db.types.js';

/**
 * Consolidations (running or completed) of the organization in which `partnerTenantId` is the
 * source ("transition from") tenant of this customer. R-CON-7: the partner must not add new
 * subscriptions to those customers from the source tenant afterwards.
 */
export async function consolidationsFromTenant(
  db: EngineDb,
  organizationId: string,
  partnerTenantId: string,
  customerTenantId: string,
): Promise<string[]> {
  const { workflows, workflowItems } = tablesOf(db);
  const rows = await db
    .select({ workflowId: workflowItems.workflowId })
    .from(workflowItems)
    .innerJoin(workflows, eq(workflows.id, workflowItems.workflowId))
    .where(
      and(
        eq(workflows.organizationId, organizationId),
        eq(workflows.kind, 'TENANT_CONSOLIDATION'),
        inArray(workflows.status, ['RUNNING', 'WAITING', 'COMPLETED']),
        eq(workflowItems.kind, 'CUSTOMER'),
        eq(workflowItems.partnerTenantId, partnerTenantId),
        eq(workflowItems.customerTenantId, customerTenantId),
        ne(workflowItems.status, 'BLOCKED'),
      ),
    );
  return [...new Set(rows.map((r) => r.workflowId))];
}
