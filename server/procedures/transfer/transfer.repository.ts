import { type BlockerCode } from '../../shared/error-codes.js';
import { and, asc, desc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { transferSigningLinks } from '../../../schema/transfer-tables.js';
import { first, tablesOf, transaction } from '../../db/client.js';
import { type EngineDb } from '../../workflows/engine/db.types.js';
import { type WorkflowRow } from '../../workflows/engine/engine.types.js';
import { type SignatureRecord } from './transfer.model.js';

export type SigningLinkRow = typeof transferSigningLinks.$inferSelect;

/** Signature events: the form's signatures live in the append-only event journal. */
export const FORM_SIGNED = 'FORM_SIGNED';

export async function insertSigningLinks(db: EngineDb, rows: SigningLinkRow[]): Promise<void> {
  if (rows.length > 0) {
    const { transferSigningLinks } = tablesOf(db);
    await db.insert(transferSigningLinks).values(rows);
  }
}

export async function signingLinksOf(db: EngineDb, workflowId: string): Promise<SigningLinkRow[]> {
  const { transferSigningLinks } = tablesOf(db);
  return db
    .select()
    .from(transferSigningLinks)
    .where(eq(transferSigningLinks.workflowId, workflowId))
    .orderBy(desc(transferSigningLinks.createdAt));
}

export async function signingLinkByHash(
  db: EngineDb,
  tokenHash: string,
): Promise<SigningLinkRow | undefined> {
  const { transferSigningLinks } = tablesOf(db);
  return first(
    await db
      .select()
      .from(transferSigningLinks)
      .where(eq(transferSigningLinks.tokenHash, tokenHash))
      .limit(1),
  );
}

export async function signaturesOf(db: EngineDb, workflowId: string): Promise<SignatureRecord[]> {
  const { workflowEvents } = tablesOf(db);
  const rows = await db
    .select({ dataJson: workflowEvents.dataJson })
    .from(workflowEvents)
    .where(and(eq(workflowEvents.workflowId, workflowId), eq(workflowEvents.type, FORM_SIGNED)))
    .orderBy(asc(workflowEvents.id));
  return rows.map((r) => JSON.parse(r.dataJson ?? '{}') as SignatureRecord);
}

export type SignOutcome = 'SIGNED' | 'ALREADY_SIGNED' | 'LINK_USED' | 'NOT_SIGNABLE';

/**
 * Records one party's signature, once: in one transaction it checks that the workflow can still be
 * signed and the party has not signed, uses the link (single use) when one is given, appends the
 * FORM_SIGNED event and wakes the waiting transfer item.
 */
export async function recordSignature(
  db: EngineDb,
  options: {
    workflowId: string;
    signature: SignatureRecord;
    message: string;
    linkHash?: string;
  },
): Promise<SignOutcome> {
  const { workflowId, signature, message, linkHash } = options;
  const { workflows, workflowEvents, workflowItems, transferSigningLinks } = tablesOf(db);
  return transaction(db, async (tx): Promise<SignOutcome> => {
    // Locks the workflow row first (PostgreSQL), so two signatures of one party serialise here.
    const wf = first(
      await tx
        .update(workflows)
        .set({ updatedAt: sql`${workflows.updatedAt}` })
        .where(eq(workflows.id, workflowId))
        .returning(),
    );
    if (!wf || !['DRAFT', 'RUNNING', 'WAITING'].includes(wf.status)) {
      return 'NOT_SIGNABLE';
    }
    const signed = (
      await tx
        .select({ dataJson: workflowEvents.dataJson })
        .from(workflowEvents)
        .where(and(eq(workflowEvents.workflowId, workflowId), eq(workflowEvents.type, FORM_SIGNED)))
    ).some((r) => (JSON.parse(r.dataJson ?? '{}') as SignatureRecord).party === signature.party);
    if (signed) {
      return 'ALREADY_SIGNED';
    }
    if (linkHash) {
      const used = await tx
        .update(transferSigningLinks)
        .set({ usedAt: signature.signedAt })
        .where(
          and(eq(transferSigningLinks.tokenHash, linkHash), isNull(transferSigningLinks.usedAt)),
        )
        .returning({ tokenHash: transferSigningLinks.tokenHash });
      if (used.length !== 1) {
        return 'LINK_USED';
      }
    }
    await tx.insert(workflowEvents).values({
      workflowId,
      at: signature.signedAt,
      type: FORM_SIGNED,
      message,
      dataJson: JSON.stringify(signature),
    });
    await tx
      .update(workflows)
      .set({ updatedAt: signature.signedAt })
      .where(eq(workflows.id, workflowId));
    // The transfer item waits for the complete form: wake it to look again.
    await tx
      .update(workflowItems)
      .set({ nextRunAt: signature.signedAt })
      .where(and(eq(workflowItems.workflowId, workflowId), eq(workflowItems.status, 'WAITING')));
    return 'SIGNED';
  });
}

/** Open (DRAFT, RUNNING, WAITING) transfers of a subscription in an organization. */
export async function openTransfersOfSubscription(
  db: EngineDb,
  organizationId: string,
  subscriptionId: string,
  excludeWorkflowId?: string,
): Promise<WorkflowRow[]> {
  const { workflows, workflowItems } = tablesOf(db);
  const conditions = [
    eq(workflows.organizationId, organizationId),
    eq(workflows.kind, 'SUBSCRIPTION_TRANSFER'),
    inArray(workflows.status, ['DRAFT', 'RUNNING', 'WAITING']),
    eq(workflowItems.subject, subscriptionId),
  ];
  if (excludeWorkflowId) {
    conditions.push(ne(workflows.id, excludeWorkflowId));
  }
  const rows = await db
    .select({ workflow: workflows })
    .from(workflows)
    .innerJoin(workflowItems, eq(workflowItems.workflowId, workflows.id))
    .where(and(...conditions));
  return rows.map((r) => r.workflow);
}

/** Marks a workflow's open blockers with this code (and subject) resolved. */
export async function resolveBlockers(
  db: EngineDb,
  workflowId: string,
  code: BlockerCode,
  at: string,
): Promise<void> {
  const { workflowBlockers } = tablesOf(db);
  await db
    .update(workflowBlockers)
    .set({ resolvedAt: at })
    .where(
      and(
        eq(workflowBlockers.workflowId, workflowId),
        eq(workflowBlockers.code, code),
        isNull(workflowBlockers.resolvedAt),
      ),
    );
}
