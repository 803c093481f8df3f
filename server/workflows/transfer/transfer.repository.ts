import { and, desc, eq, inArray, isNull, ne } from 'drizzle-orm';
import { transferSigningLinks, workflowViewers } from '../../../schema/transfer-tables.js';
import {
  workflowBlockers,
  workflowEvents,
  workflowItems,
  workflows,
} from '../../../schema/workflow-tables.js';
import { type EngineDb } from '../engine/db.types.js';
import { type WorkflowRow } from '../engine/engine.types.js';
import { type SignatureRecord } from './transfer.model.js';

export type SigningLinkRow = typeof transferSigningLinks.$inferSelect;

/** Signature events: the form's signatures live in the append-only event journal. */
export const FORM_SIGNED = 'FORM_SIGNED';

export async function insertSigningLinks(db: EngineDb, rows: SigningLinkRow[]): Promise<void> {
  if (rows.length > 0) {
    db.insert(transferSigningLinks).values(rows).run();
  }
}

export async function signingLinksOf(db: EngineDb, workflowId: string): Promise<SigningLinkRow[]> {
  return db
    .select()
    .from(transferSigningLinks)
    .where(eq(transferSigningLinks.workflowId, workflowId))
    .orderBy(desc(transferSigningLinks.createdAt))
    .all();
}

export async function signingLinkByHash(
  db: EngineDb,
  tokenHash: string,
): Promise<SigningLinkRow | undefined> {
  return db
    .select()
    .from(transferSigningLinks)
    .where(eq(transferSigningLinks.tokenHash, tokenHash))
    .get();
}

export async function signaturesOf(db: EngineDb, workflowId: string): Promise<SignatureRecord[]> {
  return db
    .select({ dataJson: workflowEvents.dataJson })
    .from(workflowEvents)
    .where(and(eq(workflowEvents.workflowId, workflowId), eq(workflowEvents.type, FORM_SIGNED)))
    .all()
    .map((r) => JSON.parse(r.dataJson ?? '{}') as SignatureRecord);
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
  return db.transaction((tx) => {
    const wf = tx.select().from(workflows).where(eq(workflows.id, workflowId)).get();
    if (!wf || !['DRAFT', 'RUNNING', 'WAITING'].includes(wf.status)) {
      return 'NOT_SIGNABLE';
    }
    const signed = tx
      .select({ dataJson: workflowEvents.dataJson })
      .from(workflowEvents)
      .where(and(eq(workflowEvents.workflowId, workflowId), eq(workflowEvents.type, FORM_SIGNED)))
      .all()
      .some((r) => (JSON.parse(r.dataJson ?? '{}') as SignatureRecord).party === signature.party);
    if (signed) {
      return 'ALREADY_SIGNED';
    }
    if (linkHash) {
      const used = tx
        .update(transferSigningLinks)
        .set({ usedAt: signature.signedAt })
        .where(
          and(eq(transferSigningLinks.tokenHash, linkHash), isNull(transferSigningLinks.usedAt)),
        )
        .run();
      if (used.changes !== 1) {
        return 'LINK_USED';
      }
    }
    tx.insert(workflowEvents)
      .values({
        workflowId,
        at: signature.signedAt,
        type: FORM_SIGNED,
        message,
        dataJson: JSON.stringify(signature),
      })
      .run();
    tx.update(workflows)
      .set({ updatedAt: signature.signedAt })
      .where(eq(workflows.id, workflowId))
      .run();
    // The transfer item waits for the complete form: wake it to look again.
    tx.update(workflowItems)
      .set({ nextRunAt: signature.signedAt })
      .where(and(eq(workflowItems.workflowId, workflowId), eq(workflowItems.status, 'WAITING')))
      .run();
    return 'SIGNED';
  });
}

export async function addViewer(
  db: EngineDb,
  workflowId: string,
  organizationId: string,
  role: string,
): Promise<void> {
  db.insert(workflowViewers)
    .values({ workflowId, organizationId, role })
    .onConflictDoNothing()
    .run();
}

export async function viewerRole(
  db: EngineDb,
  workflowId: string,
  organizationId: string,
): Promise<string | null> {
  return (
    db
      .select({ role: workflowViewers.role })
      .from(workflowViewers)
      .where(
        and(
          eq(workflowViewers.workflowId, workflowId),
          eq(workflowViewers.organizationId, organizationId),
        ),
      )
      .get()?.role ?? null
  );
}

/** Open (DRAFT, RUNNING, WAITING) transfers of a subscription in an organization. */
export async function openTransfersOfSubscription(
  db: EngineDb,
  organizationId: string,
  subscriptionId: string,
  excludeWorkflowId?: string,
): Promise<WorkflowRow[]> {
  const conditions = [
    eq(workflows.organizationId, organizationId),
    eq(workflows.kind, 'SUBSCRIPTION_TRANSFER'),
    inArray(workflows.status, ['DRAFT', 'RUNNING', 'WAITING']),
    eq(workflowItems.subject, subscriptionId),
  ];
  if (excludeWorkflowId) {
    conditions.push(ne(workflows.id, excludeWorkflowId));
  }
  return db
    .select({ workflow: workflows })
    .from(workflows)
    .innerJoin(workflowItems, eq(workflowItems.workflowId, workflows.id))
    .where(and(...conditions))
    .all()
    .map((r) => r.workflow);
}

/** Marks a workflow's open blockers with this code (and subject) resolved. */
export async function resolveBlockers(
  db: EngineDb,
  workflowId: string,
  code: string,
  at: string,
): Promise<void> {
  db.update(workflowBlockers)
    .set({ resolvedAt: at })
    .where(
      and(
        eq(workflowBlockers.workflowId, workflowId),
        eq(workflowBlockers.code, code),
        isNull(workflowBlockers.resolvedAt),
      ),
    )
    .run();
}
