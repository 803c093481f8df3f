import {
  and,
  asc,
  count,
  desc,
  eq,
  getTableColumns,
  gt,
  inArray,
  isNull,
  lt,
  or,
} from 'drizzle-orm';
import { first, tablesOf, transaction } from '../../db/client.js';
import type { EngineDb } from './db.types.js';
import {
  type NewBlocker,
  type NewEvent,
  type NewItem,
  type WorkflowHead,
  type WorkflowRow,
} from './engine.types.js';
import {
  blockerValues,
  eventValues,
  INSERT_CHUNK,
  json,
  type WorkflowBlockerRow,
  type WorkflowEventRow,
} from './row-values.js';

export interface CreateWorkflowInput {
  workflow: Omit<WorkflowRow, 'version' | 'startedAt' | 'completedAt' | 'irreversibleAt'>;
  items: NewItem[];
  blockers: NewBlocker[];
  events: NewEvent[];
}

/** Creates a workflow with its items, blockers and first events in one transaction. */
export async function createWorkflow(db: EngineDb, input: CreateWorkflowInput): Promise<void> {
  const { workflow, items, blockers, events } = input;
  const at = workflow.createdAt;
  const { workflows, workflowItems, workflowBlockers, workflowEvents } = tablesOf(db);
  await transaction(db, async (tx) => {
    await tx.insert(workflows).values(workflow);
    // In chunks: one multi-row INSERT of a 5,000-customer plan's 55,000 items exceeds SQLite's
    // 32,766 bound parameters (and PostgreSQL's 65,535).
    for (let from = 0; from < items.length; from += INSERT_CHUNK) {
      await tx.insert(workflowItems).values(
        items.slice(from, from + INSERT_CHUNK).map((item, i) => ({
          id: item.id,
          workflowId: workflow.id,
          position: from + i,
          parentItemId: item.parentItemId ?? null,
          kind: item.kind,
          status: item.status ?? 'PENDING',
          state: item.state,
          step: item.step,
          customerTenantId: item.customerTenantId ?? null,
          partnerTenantId: item.partnerTenantId ?? null,
          subject: item.subject ?? null,
          dataJson: json(item.data),
          nextRunAt: item.nextRunAt,
          updatedAt: at,
        })),
      );
    }
    for (let from = 0; from < blockers.length; from += INSERT_CHUNK) {
      await tx
        .insert(workflowBlockers)
        .values(
          blockers
            .slice(from, from + INSERT_CHUNK)
            .map((b) => ({ ...blockerValues(b), workflowId: workflow.id, createdAt: at })),
        );
    }
    for (let from = 0; from < events.length; from += INSERT_CHUNK) {
      await tx
        .insert(workflowEvents)
        .values(
          events
            .slice(from, from + INSERT_CHUNK)
            .map((e) => ({ ...eventValues(e), workflowId: workflow.id, at })),
        );
    }
  });
}

export async function getWorkflow(db: EngineDb, id: string): Promise<WorkflowRow | undefined> {
  const { workflows } = tablesOf(db);
  return first(await db.select().from(workflows).where(eq(workflows.id, id)).limit(1));
}

/** {@link WorkflowHead}s by id (the runner's read per claim). */
export async function getWorkflowHeadsByIds(
  db: EngineDb,
  ids: readonly string[],
): Promise<WorkflowHead[]> {
  if (ids.length === 0) {
    return [];
  }
  const { workflows } = tablesOf(db);
  const { inputJson: _input, ...head } = getTableColumns(workflows);
  return db
    .select(head)
    .from(workflows)
    .where(inArray(workflows.id, [...ids]));
}

export async function getWorkflowsByIds(
  db: EngineDb,
  ids: readonly string[],
): Promise<WorkflowRow[]> {
  if (ids.length === 0) {
    return [];
  }
  const { workflows } = tablesOf(db);
  return db
    .select()
    .from(workflows)
    .where(inArray(workflows.id, [...ids]));
}

export async function findWorkflowByIdempotencyKey(
  db: EngineDb,
  organizationId: string,
  key: string,
): Promise<WorkflowRow | undefined> {
  const { workflows } = tablesOf(db);
  return first(
    await db
      .select()
      .from(workflows)
      .where(and(eq(workflows.organizationId, organizationId), eq(workflows.idempotencyKey, key)))
      .limit(1),
  );
}

export interface WorkflowListFilter {
  organizationId: string;
  kind?: string | null;
  status?: string | null;
}

/** Keyset page over (createdAt desc, id desc); `after` is the last row's [createdAt, id]. */
export async function listWorkflows(
  db: EngineDb,
  filter: WorkflowListFilter,
  page: { limit: number; after?: [string, string] | null },
): Promise<{ rows: WorkflowRow[]; totalCount: number }> {
  // The organization's own workflows and those shared with it read-only (incoming transfers).
  const { workflows, workflowViewers } = tablesOf(db);
  const base = [
    or(
      eq(workflows.organizationId, filter.organizationId),
      inArray(
        workflows.id,
        db
          .select({ id: workflowViewers.workflowId })
          .from(workflowViewers)
          .where(eq(workflowViewers.organizationId, filter.organizationId)),
      ),
    ),
  ];
  if (filter.kind) {
    base.push(eq(workflows.kind, filter.kind));
  }
  if (filter.status) {
    base.push(eq(workflows.status, filter.status));
  }
  const where = and(...base);
  const keyset = page.after
    ? or(
        lt(workflows.createdAt, page.after[0]),
        and(eq(workflows.createdAt, page.after[0]), lt(workflows.id, page.after[1])),
      )
    : undefined;
  const rows = await db
    .select()
    .from(workflows)
    .where(keyset ? and(where, keyset) : where)
    .orderBy(desc(workflows.createdAt), desc(workflows.id))
    .limit(page.limit);
  const total = first(await db.select({ n: count() }).from(workflows).where(where));
  return { rows, totalCount: total?.n ?? 0 };
}

export async function listEvents(
  db: EngineDb,
  workflowId: string,
  page: { limit: number; afterId?: number | null },
): Promise<{ rows: WorkflowEventRow[]; totalCount: number }> {
  const { workflowEvents } = tablesOf(db);
  const where = eq(workflowEvents.workflowId, workflowId);
  const rows = await db
    .select()
    .from(workflowEvents)
    .where(page.afterId ? and(where, gt(workflowEvents.id, page.afterId)) : where)
    .orderBy(asc(workflowEvents.id))
    .limit(page.limit);
  const total = first(await db.select({ n: count() }).from(workflowEvents).where(where));
  return { rows, totalCount: total?.n ?? 0 };
}

export async function listBlockers(
  db: EngineDb,
  workflowId: string,
): Promise<WorkflowBlockerRow[]> {
  const { workflowBlockers } = tablesOf(db);
  return db
    .select()
    .from(workflowBlockers)
    .where(and(eq(workflowBlockers.workflowId, workflowId), isNull(workflowBlockers.resolvedAt)))
    .orderBy(asc(workflowBlockers.id));
}

export async function addEvents(
  db: EngineDb,
  workflowId: string,
  at: string,
  events: NewEvent[],
): Promise<void> {
  if (events.length === 0) {
    return;
  }
  const { workflows, workflowEvents } = tablesOf(db);
  await transaction(db, async (tx) => {
    await tx
      .insert(workflowEvents)
      .values(events.map((event) => ({ ...eventValues(event), workflowId, at })));
    await tx.update(workflows).set({ updatedAt: at }).where(eq(workflows.id, workflowId));
  });
}

export async function addBlocker(
  db: EngineDb,
  workflowId: string,
  at: string,
  blocker: NewBlocker,
): Promise<void> {
  const { workflowBlockers } = tablesOf(db);
  await db
    .insert(workflowBlockers)
    .values({ ...blockerValues(blocker), workflowId, createdAt: at });
}

export async function updateWorkflowData(
  db: EngineDb,
  workflowId: string,
  at: string,
  data: Record<string, unknown>,
): Promise<void> {
  const { workflows } = tablesOf(db);
  await db
    .update(workflows)
    .set({ dataJson: JSON.stringify(data), updatedAt: at })
    .where(eq(workflows.id, workflowId));
}
