import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { first, tablesOf, transaction } from '../../db/client.js';
import { type EngineDb } from '../../workflows/engine/db.types.js';
import { type NewBlocker, type WorkflowRow } from '../../workflows/engine/engine.types.js';
import { blockerValues } from '../../workflows/engine/row-values.js';
import { type BlockerCode } from '../../shared/error-codes.js';
import { FORM_SIGNED } from './transfer.repository.js';

export const NEW_PARTNER_UPDATED = 'NEW_PARTNER_UPDATED';

export type NewPartnerUpdateOutcome =
  { outcome: 'UPDATED'; row: WorkflowRow } | { outcome: 'SIGNED' | 'NOT_EDITABLE' | 'NOT_DRAFT' };

/**
 * Writes the new partner's details and agreement (R-TRF-5) in one transaction that locks the
 * workflow row, so a signature cannot slip in between the "no signature yet" check and the change
 * (a signature covers the form content it saw). The agreement's blockers follow: `block` is added
 * unless one of its code is open, every other code of `codes` is resolved.
 */
export async function applyNewPartnerUpdate(
  db: EngineDb,
  o: {
    workflowId: string;
    at: string;
    data: Record<string, unknown>;
    detailsChanged: boolean;
    agreementChanged: boolean;
    block: NewBlocker | null;
    codes: BlockerCode[];
    message: string;
  },
): Promise<NewPartnerUpdateOutcome> {
  const { workflows, workflowEvents, workflowBlockers } = tablesOf(db);
  return transaction(db, async (tx): Promise<NewPartnerUpdateOutcome> => {
    const wf = first(
      await tx
        .update(workflows)
        .set({ updatedAt: sql`${workflows.updatedAt}` })
        .where(eq(workflows.id, o.workflowId))
        .returning(),
    );
    if (!wf || !['DRAFT', 'RUNNING', 'WAITING'].includes(wf.status)) {
      return { outcome: 'NOT_EDITABLE' };
    }
    if (o.agreementChanged && wf.status !== 'DRAFT') {
      return { outcome: 'NOT_DRAFT' };
    }
    if (o.detailsChanged) {
      const signed = await tx
        .select({ id: workflowEvents.id })
        .from(workflowEvents)
        .where(
          and(eq(workflowEvents.workflowId, o.workflowId), eq(workflowEvents.type, FORM_SIGNED)),
        )
        .limit(1);
      if (signed.length > 0) {
        return { outcome: 'SIGNED' };
      }
    }
    const dataJson = JSON.stringify(o.data);
    await tx
      .update(workflows)
      .set({ dataJson, updatedAt: o.at })
      .where(eq(workflows.id, o.workflowId));
    await tx.insert(workflowEvents).values({
      workflowId: o.workflowId,
      at: o.at,
      type: NEW_PARTNER_UPDATED,
      message: o.message,
    });
    if (o.agreementChanged) {
      const open = await tx
        .select({ code: workflowBlockers.code })
        .from(workflowBlockers)
        .where(
          and(
            eq(workflowBlockers.workflowId, o.workflowId),
            inArray(workflowBlockers.code, o.codes),
            isNull(workflowBlockers.resolvedAt),
          ),
        );
      const keep = o.block?.code;
      const resolve = o.codes.filter((c) => c !== keep);
      if (resolve.length > 0) {
        await tx
          .update(workflowBlockers)
          .set({ resolvedAt: o.at })
          .where(
            and(
              eq(workflowBlockers.workflowId, o.workflowId),
              inArray(workflowBlockers.code, resolve),
              isNull(workflowBlockers.resolvedAt),
            ),
          );
      }
      if (o.block && !open.some((b) => b.code === keep)) {
        await tx
          .insert(workflowBlockers)
          .values({ ...blockerValues(o.block), workflowId: o.workflowId, createdAt: o.at });
      }
    }
    return { outcome: 'UPDATED', row: { ...wf, dataJson, updatedAt: o.at } };
  });
}
