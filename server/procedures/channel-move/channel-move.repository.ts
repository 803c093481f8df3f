import { and, eq, inArray } from 'drizzle-orm';
import { tablesOf } from '../../db/client.js';
import { type EngineDb } from '../../workflows/engine/db.types.js';
import * as engineRepo from '../../workflows/engine/workflow.repository.js';
import { RELATIONSHIP } from './channel-move.model.js';

/** Started, unfinished channel moves of the organization for this partner tenant and customer. */
export async function openChannelMoves(
  db: EngineDb,
  organizationId: string,
  partnerTenantId: string,
  customerTenantId: string,
  excludeWorkflowId?: string,
): Promise<string[]> {
  const open = await engineRepo.openItemsOfKind(db, organizationId, 'CHANNEL_MOVE', RELATIONSHIP);
  const candidates = open
    .filter((o) => o.customerTenantId === customerTenantId && o.workflowId !== excludeWorkflowId)
    .map((o) => o.workflowId);
  if (candidates.length === 0) {
    return [];
  }
  const { workflowItems } = tablesOf(db);
  const rows = await db
    .select({ workflowId: workflowItems.workflowId })
    .from(workflowItems)
    .where(
      and(
        inArray(workflowItems.workflowId, candidates),
        eq(workflowItems.kind, RELATIONSHIP),
        eq(workflowItems.partnerTenantId, partnerTenantId),
      ),
    );
  return [...new Set(rows.map((r) => r.workflowId))];
}
