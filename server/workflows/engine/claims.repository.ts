import { and, asc, eq, inArray, isNotNull, isNull, lt, lte, min, or } from 'drizzle-orm';
import { dialectOf, tablesOf, transaction } from '../../db/client.js';
import type { EngineDb } from './db.types.js';
import { type WorkflowItemRow } from './engine.types.js';

/** Item statuses the runner claims (each due on the business clock). */
const CLAIMABLE_STATUSES = ['PENDING', 'RUNNING', 'WAITING'] as const;

/**
 * Claims up to `limit` runnable items with a lease. Runnable: an active status, due on the
 * business clock, past any transport backoff, and not leased by a live owner. Any number of
 * runners (processes, replicas) may claim at once and never take the same item: on PostgreSQL
 * the candidates are locked with `FOR UPDATE SKIP LOCKED` (a replica skips rows another one is
 * claiming instead of queueing behind it); on both dialects the lease is set by a conditional
 * UPDATE that only succeeds while the item is unleased or its lease ran out. A replica killed
 * mid-step stops renewing; once its lease expires another runner resumes the item through the
 * journal (look before create), so no Partner Center effect happens twice.
 *
 * Cost: one ordered range read of the runnable index (status, next_run_at, position) per status,
 * stopping after `limit` rows, so a claim costs the same whether 10 or 50,000 items are due
 * (one query over the three statuses would sort every due item before its LIMIT).
 */
export async function claimRunnableItems(
  db: EngineDb,
  options: {
    now: string;
    nowMs: number;
    owner: string;
    leaseMs: number;
    limit: number;
    exclude: readonly string[];
  },
): Promise<WorkflowItemRow[]> {
  const { now, nowMs, owner, leaseMs, limit } = options;
  if (limit <= 0) {
    return [];
  }
  const exclude = new Set(options.exclude);
  const { workflows, workflowItems } = tablesOf(db);
  const unleased = or(
    isNull(workflowItems.leaseExpiresAtMs),
    lt(workflowItems.leaseExpiresAtMs, nowMs),
  );
  return transaction(db, async (tx) => {
    const candidates: Array<{ id: string; nextRunAt: string | null; position: number }> = [];
    for (const status of CLAIMABLE_STATUSES) {
      const query = tx
        .select({
          id: workflowItems.id,
          nextRunAt: workflowItems.nextRunAt,
          position: workflowItems.position,
        })
        .from(workflowItems)
        .where(
          and(
            eq(workflowItems.status, status),
            lte(workflowItems.nextRunAt, now),
            // A subquery rather than a join, so the PostgreSQL row lock covers the items only.
            inArray(
              workflowItems.workflowId,
              tx
                .select({ id: workflows.id })
                .from(workflows)
                .where(inArray(workflows.status, ['RUNNING', 'WAITING'])),
            ),
            or(isNull(workflowItems.backoffUntilMs), lte(workflowItems.backoffUntilMs, nowMs)),
            unleased,
          ),
        )
        .orderBy(asc(workflowItems.nextRunAt), asc(workflowItems.position))
        // The caller's own in-flight items are filtered here rather than in SQL (one statement
        // text, prepared once, instead of one per length of the exclusion list).
        .limit(limit + exclude.size);
      const rows =
        dialectOf(tx) === 'pg'
          ? await (query as unknown as PgSelectLockable).for('update', { skipLocked: true })
          : await query;
      for (const row of rows) {
        if (!exclude.has(row.id)) {
          candidates.push(row);
        }
      }
    }
    if (candidates.length === 0) {
      return [];
    }
    // Due first, then planning order, across the three statuses.
    candidates.sort((a, b) =>
      (a.nextRunAt ?? '') < (b.nextRunAt ?? '')
        ? -1
        : (a.nextRunAt ?? '') > (b.nextRunAt ?? '')
          ? 1
          : a.position - b.position,
    );
    return tx
      .update(workflowItems)
      .set({ leaseOwner: owner, leaseExpiresAtMs: nowMs + leaseMs })
      .where(
        and(
          inArray(
            workflowItems.id,
            candidates.slice(0, limit).map((c) => c.id),
          ),
          unleased,
        ),
      )
      .returning();
  });
}

/** The PostgreSQL row-locking clause of a select (not on SQLite's builder type). */
interface PgSelectLockable {
  for(
    strength: 'update',
    config: { skipLocked: boolean },
  ): Promise<Array<{ id: string; nextRunAt: string | null; position: number }>>;
}

/** Extends the caller's lease while its step runs; false once another runner owns the item. */
export async function renewLease(
  db: EngineDb,
  itemId: string,
  owner: string,
  untilMs: number,
): Promise<boolean> {
  const { workflowItems } = tablesOf(db);
  const changed = await db
    .update(workflowItems)
    .set({ leaseExpiresAtMs: untilMs })
    .where(and(eq(workflowItems.id, itemId), eq(workflowItems.leaseOwner, owner)))
    .returning({ id: workflowItems.id });
  return changed.length === 1;
}

export async function releaseLease(db: EngineDb, itemId: string, owner: string): Promise<void> {
  const { workflowItems } = tablesOf(db);
  await db
    .update(workflowItems)
    .set({ leaseOwner: null, leaseExpiresAtMs: null })
    .where(and(eq(workflowItems.id, itemId), eq(workflowItems.leaseOwner, owner)));
}

/** The earliest transport backoff among items due now on the business clock, or null. */
export async function earliestBackoff(db: EngineDb, now: string): Promise<number | null> {
  const { workflows, workflowItems } = tablesOf(db);
  const [row] = await db
    .select({ at: min(workflowItems.backoffUntilMs) })
    .from(workflowItems)
    .innerJoin(workflows, eq(workflows.id, workflowItems.workflowId))
    .where(
      and(
        inArray(workflows.status, ['RUNNING', 'WAITING']),
        inArray(workflowItems.status, ['PENDING', 'RUNNING', 'WAITING']),
        lte(workflowItems.nextRunAt, now),
        isNotNull(workflowItems.backoffUntilMs),
      ),
    );
  return row?.at ?? null;
}
