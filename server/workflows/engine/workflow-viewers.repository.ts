import { and, eq } from 'drizzle-orm';
import { first, tablesOf } from '../../db/client.js';
import { type EngineDb } from './db.types.js';

// Workflows shared read-only with organizations besides their owner (the new partner's
// organization reads an incoming transfer). Who may view is the engine's business; the roles a
// procedure gives viewers are the procedure's (`ProcedureModule.viewerRoles`).

/** Shares a workflow read-only with an organization under a role (idempotent). */
export async function addViewer(
  db: EngineDb,
  workflowId: string,
  organizationId: string,
  role: string,
): Promise<void> {
  const { workflowViewers } = tablesOf(db);
  await db
    .insert(workflowViewers)
    .values({ workflowId, organizationId, role })
    .onConflictDoNothing();
}

/** The role under which an organization may read a workflow it does not own, or null. */
export async function viewerRole(
  db: EngineDb,
  workflowId: string,
  organizationId: string,
): Promise<string | null> {
  const { workflowViewers } = tablesOf(db);
  const row = first(
    await db
      .select({ role: workflowViewers.role })
      .from(workflowViewers)
      .where(
        and(
          eq(workflowViewers.workflowId, workflowId),
          eq(workflowViewers.organizationId, organizationId),
        ),
      )
      .limit(1),
  );
  return row?.role ?? null;
}

/** Organizations that may read a workflow besides its owner (the incoming side of a transfer). */
export async function viewerOrganizations(db: EngineDb, workflowId: string): Promise<string[]> {
  const { workflowViewers } = tablesOf(db);
  const rows = await db
    .select({ organizationId: workflowViewers.organizationId })
    .from(workflowViewers)
    .where(eq(workflowViewers.workflowId, workflowId));
  return rows.map((r) => r.organizationId);
}
