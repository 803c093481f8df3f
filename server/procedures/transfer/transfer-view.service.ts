import { type Actor, canReadCustomerData, isWorkflowWriter } from '../../shared/actor.js';
import { type Clock } from '../../shared/clock.js';
import { type EngineDb } from '../../workflows/engine/db.types.js';
import { type WorkflowItemRow, type WorkflowRow } from '../../workflows/engine/engine.types.js';
import { viewerRole } from '../../workflows/engine/workflow-viewers.repository.js';
import * as engineRepo from '../../workflows/engine/workflow.repository.js';
import { formEvents } from './transfer-form-events.js';
import { renderTransferFormPdf, type TransferFormContent } from './transfer-form.pdf.js';
import { type TransferLinks } from './transfer-links.js';
import {
  INCOMING_TRANSFER,
  LINK_PARTIES,
  TRANSFER,
  TRANSFER_PARTIES,
  transferData,
  type SignatureRecord,
  type TransferItemData,
  type TransferParty,
} from './transfer.model.js';
import * as repo from './transfer.repository.js';

export interface SigningLinkView {
  party: TransferParty;
  url: string;
  expiresAt: string;
  used: boolean;
}

/**
 * What each organization may see of a transfer: the owner everything, the new partner's
 * organization (incoming, read-only) the transfer without its signing links; the form and its PDF.
 */
export class TransferViewService {
  constructor(private readonly deps: { db: EngineDb; clock: Clock; links: TransferLinks }) {}

  /** A transfer the actor may read: its own organization's, or an incoming one (new partner). */
  async readable(actor: Actor, id: string): Promise<{ row: WorkflowRow; owner: boolean } | null> {
    const row = await engineRepo.getWorkflow(this.deps.db, id);
    if (!row || row.kind !== 'SUBSCRIPTION_TRANSFER') {
      return null;
    }
    if (row.organizationId === actor.organizationId) {
      return { row, owner: true };
    }
    return (await viewerRole(this.deps.db, id, actor.organizationId)) === INCOMING_TRANSFER
      ? { row, owner: false }
      : null;
  }

  async item(row: WorkflowRow): Promise<WorkflowItemRow | undefined> {
    return (await engineRepo.listItems(this.deps.db, row.id)).find((i) => i.kind === TRANSFER);
  }

  async signatures(row: WorkflowRow): Promise<SignatureRecord[]> {
    const all = await repo.signaturesOf(this.deps.db, row.id);
    return TRANSFER_PARTIES.flatMap((p) => all.filter((s) => s.party === p).slice(0, 1));
  }

  /** The signing links, for admins of the owning organization only (tokens never go elsewhere). */
  async signingLinks(actor: Actor, row: WorkflowRow): Promise<SigningLinkView[]> {
    if (row.organizationId !== actor.organizationId || !isWorkflowWriter(actor)) {
      return [];
    }
    const rows = await repo.signingLinksOf(this.deps.db, row.id);
    return LINK_PARTIES.flatMap((party) => {
      const link = rows.find((r) => r.party === party);
      return link
        ? [
            {
              party,
              url: this.deps.links.url(link),
              expiresAt: link.expiresAt,
              used: link.usedAt !== null,
            },
          ]
        : [];
    });
  }

  pdfUrl(row: WorkflowRow): string {
    return this.deps.links.pdfUrl(row);
  }

  async formContent(row: WorkflowRow): Promise<TransferFormContent> {
    const item = await this.item(row);
    const itemData = (item ? JSON.parse(item.dataJson) : {}) as TransferItemData;
    const data = transferData(row);
    return {
      workflowId: row.id,
      data,
      signatures: await this.signatures(row),
      serviceRequestId: itemData.serviceRequestId ?? null,
      generatedAt: this.deps.clock.now().toISOString(),
      events: await formEvents(
        this.deps.db,
        row,
        data,
        await repo.signingLinksOf(this.deps.db, row.id),
      ),
    };
  }

  /** The filled form as a PDF, for the owning organization and the incoming one. */
  async pdf(actor: Actor, id: string): Promise<{ fileName: string; content: Uint8Array } | null> {
    // The form names the customer and its subscription: customer-data roles (issue 17).
    const found = canReadCustomerData(actor) ? await this.readable(actor, id) : null;
    if (!found) {
      return null;
    }
    return {
      fileName: `CSP-Subscription-Transfer-Form-${id.slice(0, 8)}.pdf`,
      content: await renderTransferFormPdf(await this.formContent(found.row)),
    };
  }
}
