import { type ExportFormat, type Table } from '../../modules/exports/export-format.js';
import { storeExport, type ExportResult } from '../../modules/exports/export-store.js';
import { type Clock } from '../../shared/clock.js';
import { ok, type Result } from '../../shared/result.js';
import { type RequestScope } from '../../shared/request-scope.js';
import { type EngineDb } from '../../workflows/engine/db.types.js';
import { listItems } from '../../workflows/engine/workflow.repository.js';
import { ownedWorkflowOfKind } from '../../workflows/owned-workflow.js';

/** The consolidation's inventory as a file (CSV/XLSX, R-CON-1). */
export class ConsolidationExportService {
  constructor(
    private readonly deps: {
      db: EngineDb;
      clock: Clock;
      /** Absolute base URL of this API, for download links. */
      publicUrl: string;
    },
  ) {}

  /** A consolidation's inventory (R-CON-1): every source customer and subscription with its plan. */
  async exportInventory(
    scope: RequestScope,
    input: { workflowRowId: string; format: ExportFormat },
  ): Promise<Result<ExportResult>> {
    const owned = await ownedWorkflowOfKind(
      this.deps.db,
      scope.actor,
      input.workflowRowId,
      'TENANT_CONSOLIDATION',
      'consolidation',
    );
    if (!owned.ok) {
      return owned;
    }
    const workflow = owned.value;
    const items = await listItems(this.deps.db, workflow.id);
    const customers = new Map(items.filter((i) => i.kind === 'CUSTOMER').map((i) => [i.id, i]));
    const rows: Table['rows'] = [];
    for (const item of items) {
      if (!item.parentItemId) {
        continue;
      }
      const parent = customers.get(item.parentItemId);
      const d = JSON.parse(item.dataJson) as Record<string, string | number | null>;
      rows.push({
        customer: d.companyName ?? null,
        customerTenantId: item.customerTenantId,
        sourceTenantId: d.sourceTenantId ?? null,
        customerState: parent?.state ?? null,
        subscriptionId: d.sourceSubscriptionId ?? null,
        offerId: d.offerId ?? null,
        offerName: d.offerName ?? null,
        proposedOfferId: d.proposedOfferId ?? null,
        proposedOfferName: d.proposedOfferName ?? null,
        successorReason: d.successorReason ?? null,
        seats: d.seats ?? null,
        sourceStatus: d.status ?? null,
        plan: item.kind,
        itemStatus: item.status,
        reseller: d.partnerIdOnRecord ?? null,
        targetSubscriptionId: d.targetSubscriptionId ?? null,
        targetActiveAt: d.targetActiveAt ?? null,
        sourceSuspendedAt: d.sourceSuspendedAt ?? null,
      });
    }
    const table: Table = {
      sheetName: 'Inventory',
      columns: [
        { key: 'customer', header: 'Customer', width: 30 },
        { key: 'customerTenantId', header: 'Customer tenant id', width: 38 },
        { key: 'sourceTenantId', header: 'Source tenant id', width: 38 },
        { key: 'customerState', header: 'Customer state', width: 16 },
        { key: 'subscriptionId', header: 'Source subscription id', width: 38 },
        { key: 'offerId', header: 'Offer id', width: 30 },
        { key: 'offerName', header: 'Offer', width: 30 },
        // R-CHN-6: the successor the target orders instead of an offer it no longer sells.
        { key: 'proposedOfferId', header: 'Proposed offer id', width: 30 },
        { key: 'proposedOfferName', header: 'Proposed offer', width: 30 },
        { key: 'successorReason', header: 'Successor note', width: 60 },
        { key: 'seats', header: 'Seats', width: 8 },
        { key: 'sourceStatus', header: 'Status at planning', width: 14 },
        { key: 'plan', header: 'Plan', width: 24 },
        { key: 'itemStatus', header: 'Item status', width: 12 },
        { key: 'reseller', header: 'Reseller of record', width: 18 },
        { key: 'targetSubscriptionId', header: 'Target subscription id', width: 38 },
        { key: 'targetActiveAt', header: 'Target active at (UTC)', width: 25, type: 'date' },
        { key: 'sourceSuspendedAt', header: 'Source suspended at (UTC)', width: 25, type: 'date' },
      ],
      rows,
    };
    return ok(
      await storeExport(
        this.deps,
        scope,
        `consolidation-inventory-${workflow.id.slice(0, 8)}`,
        table,
        input.format,
      ),
    );
  }
}
