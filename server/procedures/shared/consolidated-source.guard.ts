import { encodeId } from '../../shared/ids.js';
import { type DomainError } from '../../shared/result.js';
import { type EngineDb } from '../../workflows/engine/db.types.js';
import { consolidationsFromTenant } from '../consolidation/consolidation.repository.js';

/** The one code every write path answers with when it meets a consolidated source (R-CON-7). */
export const SOURCE_OF_CONSOLIDATION = 'SOURCE_OF_CONSOLIDATION' as const;

export interface ConsolidatedSourceRequest {
  organizationId: string;
  partner: { tenantId: string; name: string };
  customerTenantId: string;
  /** The customer's name for the message; the tenant id when unknown. */
  customerName?: string | null;
  /** What the caller was about to do, e.g. "order legacy Azure", for the message. */
  action: string;
}

/**
 * The one R-CON-7/8 guard of every Partner Center write path (channel move, Azure plan, legacy order,
 * transfer, consolidation start and its re-provisioning): once a consolidation of this customer
 * started from `partner` (running, waiting or completed — R-CON-8: it cannot be undone), nothing new
 * is bought or moved for the customer from that tenant. Returns the refusal, or null when allowed.
 */
export async function consolidatedSourceRefusal(
  db: EngineDb,
  request: ConsolidatedSourceRequest,
): Promise<(DomainError & { code: typeof SOURCE_OF_CONSOLIDATION; workflowIds: string[] }) | null> {
  const workflowIds = await consolidationsFromTenant(
    db,
    request.organizationId,
    request.partner.tenantId,
    request.customerTenantId,
  );
  if (workflowIds.length === 0) {
    return null;
  }
  return {
    code: SOURCE_OF_CONSOLIDATION,
    message: consolidatedSourceMessage(request, workflowIds),
    workflowIds,
  };
}

/** The refusal's text, shared with planners that check many customers at once. */
export function consolidatedSourceMessage(
  request: Pick<
    ConsolidatedSourceRequest,
    'partner' | 'customerTenantId' | 'customerName' | 'action'
  >,
  workflowIds: string[],
): string {
  const customer = request.customerName || request.customerTenantId;
  return `Cannot ${request.action}: ${request.partner.name} is the source ("transition from") tenant of a consolidation of ${customer} (workflow ${workflowIds.map((id) => encodeId('TenantConsolidation', id)).join(', ')}); no new subscription may be added from it (R-CON-7) and the consolidation cannot be undone (R-CON-8). Use the consolidation's target tenant instead.`;
}
