import { and, eq, inArray, ne } from 'drizzle-orm';
import { notIndexed, tablesOf } from '../../db/client.js';
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
        // By the customer index (a handful of rows), not the kind index (every customer item ever
        // planned): this guard runs before every write of every path.
        eq(notIndexed(workflowItems.kind), 'CUSTOMER'),
        eq(workflowItems.partnerTenantId, partnerTenantId),
        eq(workflowItems.customerTenantId, customerTenantId),
        ne(workflowItems.status, 'BLOCKED'),
      ),
    );
  return [...new Set(rows.map((r) => r.workflowId))];
}

/**
 * The customers for which `partnerTenantId` is the source of a running or completed consolidation
 * of the organization (R-CON-7): the set form of consolidationsFromTenant, for planners that look
 * at every customer of a tenant at once.
 */
export async function customersConsolidatedAwayFrom(
  db: EngineDb,
  organizationId: string,
  partnerTenantId: string,
): Promise<Map<string, string[]>> {
  const { workflows, workflowItems } = tablesOf(db);
  const rows = await db
    .select({
      workflowId: workflowItems.workflowId,
      customerTenantId: workflowItems.customerTenantId,
    })
    .from(workflowItems)
    .innerJoin(workflows, eq(workflows.id, workflowItems.workflowId))
    .where(
      and(
        eq(workflows.organizationId, organizationId),
        eq(workflows.kind, 'TENANT_CONSOLIDATION'),
        inArray(workflows.status, ['RUNNING', 'WAITING', 'COMPLETED']),
        eq(workflowItems.kind, 'CUSTOMER'),
        eq(workflowItems.partnerTenantId, partnerTenantId),
        ne(workflowItems.status, 'BLOCKED'),
      ),
    );
  const byCustomer = new Map<string, string[]>();
  for (const row of rows) {
    if (!row.customerTenantId) {
      continue;
    }
    const ids = byCustomer.get(row.customerTenantId) ?? [];
    if (!ids.includes(row.workflowId)) {
      ids.push(row.workflowId);
    }
    byCustomer.set(row.customerTenantId, ids);
  }
  return byCustomer;
}
