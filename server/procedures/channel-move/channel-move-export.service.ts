import { storeExport } from '../../modules/exports/export-store.js';
import { type RequestScope } from '../../shared/request-scope.js';
import { type ExportFormat, type Table } from '../../modules/exports/export-format.js';
import { type ExportResult } from '../../modules/exports/export.service.js';
import { type Clock } from '../../shared/clock.js';
import { ok, type Result } from '../../shared/result.js';
import { type EngineDb } from '../../workflows/engine/db.types.js';
import * as repo from '../../workflows/engine/workflow.repository.js';
import { ownedWorkflowOfKind } from '../../workflows/owned-workflow.js';
import { type ChannelMoveViewService } from './channel-move-view.service.js';

/**
 * The move plan as a file for the customer (CSV/XLSX): every license line, what replaces it, when
 * (cut-over), what the customer must do with the original (R-CHN-3) and whether users need new
 * license assignments (R-CHN-6), with the blockers that exclude a line.
 */
export class ChannelMoveExportService {
  constructor(
    private readonly deps: {
      db: EngineDb;
      clock: Clock;
      views: ChannelMoveViewService;
      /** Absolute base URL of this API, for download links. */
      publicUrl: string;
    },
  ) {}

  async exportPlan(
    scope: RequestScope,
    input: { workflowRowId: string; format: ExportFormat },
  ): Promise<Result<ExportResult>> {
    const owned = await ownedWorkflowOfKind(
      this.deps.db,
      scope.actor,
      input.workflowRowId,
      'CHANNEL_MOVE',
      'channel move',
    );
    if (!owned.ok) {
      return owned;
    }
    const workflow = owned.value;
    const [view, blockers] = await Promise.all([
      this.deps.views.view(workflow),
      repo.listBlockers(this.deps.db, workflow.id),
    ]);
    const blockersBySubject = new Map<string, string[]>();
    for (const b of blockers) {
      if (b.subject) {
        blockersBySubject.set(b.subject, [
          ...(blockersBySubject.get(b.subject) ?? []),
          `${b.code}: ${b.message}`,
        ]);
      }
    }
    const table: Table = {
      sheetName: 'Move plan',
      columns: [
        { key: 'line', header: 'Line', width: 6 },
        { key: 'customer', header: 'Customer', width: 30 },
        { key: 'sourceChannel', header: 'From channel', width: 20 },
        { key: 'partner', header: 'CSP partner', width: 28 },
        { key: 'sourceOfferId', header: 'Current offer id', width: 38 },
        { key: 'sourceOfferName', header: 'Current offer', width: 30 },
        { key: 'seats', header: 'Seats', width: 8 },
        { key: 'expiresOn', header: 'Current expires on (UTC)', width: 22, type: 'date' },
        { key: 'action', header: 'Original subscription', width: 14 },
        { key: 'cutoverAt', header: 'Cut-over (UTC)', width: 22, type: 'date' },
        { key: 'targetOfferId', header: 'CSP offer id', width: 38 },
        { key: 'targetOfferName', header: 'CSP offer', width: 30 },
        { key: 'equivalentOffer', header: 'Equivalent offer', width: 14 },
        { key: 'licenseReassignment', header: 'License reassignment', width: 18 },
        { key: 'state', header: 'State', width: 12 },
        { key: 'targetSubscriptionId', header: 'CSP subscription id', width: 38 },
        { key: 'notes', header: 'Notes and blockers', width: 80 },
      ],
      rows: view.lines.map((l) => ({
        line: l.lineNumber,
        customer: view.relationship.companyName,
        sourceChannel: view.data.sourceChannel,
        partner: view.data.partner.name,
        sourceOfferId: l.offerId,
        sourceOfferName: l.sourceOfferName,
        seats: l.seats,
        expiresOn: l.expiresOn ? l.expiresOn.slice(0, 10) : null,
        action: l.action,
        cutoverAt: l.cutoverAt ?? (l.action === 'CANCEL' ? 'at acceptance' : null),
        targetOfferId: l.targetOfferId,
        targetOfferName: l.targetOfferName,
        equivalentOffer: l.equivalentOffer,
        licenseReassignment: l.licenseReassignmentRequired ? 'required' : 'no',
        state: l.state,
        targetSubscriptionId: l.targetSubscriptionId ?? null,
        notes: [...l.warnings, ...(blockersBySubject.get(l.subject) ?? [])].join(' ') || null,
      })),
    };
    return ok(
      await storeExport(
        this.deps,
        scope,
        `channel-move-plan-${workflow.id.slice(0, 8)}`,
        table,
        input.format,
      ),
    );
  }
}
