import { and, asc, count, eq, gt, gte, like, lte, or, type SQL } from 'drizzle-orm';
import { activityEntries, auditCursors } from '../../../schema/workflow-tables.js';
import { type EngineDb } from '../../workflows/engine/db.types.js';

export type ActivityEntryRow = typeof activityEntries.$inferSelect;
export type NewActivityEntry = Omit<typeof activityEntries.$inferInsert, 'id'>;

/**
 * Inserts entries; one with an `externalId` already recorded for the organization is skipped, so a
 * resumed step or a re-read audit window never writes an entry twice.
 */
export async function insertActivityEntries(
  db: EngineDb,
  entries: NewActivityEntry[],
): Promise<void> {
  if (entries.length === 0) {
    return;
  }
  db.transaction((tx) => {
    for (const entry of entries) {
      tx.insert(activityEntries).values(entry).onConflictDoNothing().run();
    }
  });
}

export interface ActivityQuery {
  organizationId: string;
  from?: string | null;
  to?: string | null;
  customerSearch?: string | null;
  workflowId?: string | null;
}

function whereOf(query: ActivityQuery): SQL | undefined {
  const conditions: SQL[] = [eq(activityEntries.organizationId, query.organizationId)];
  if (query.from) {
    conditions.push(gte(activityEntries.at, query.from));
  }
  if (query.to) {
    conditions.push(lte(activityEntries.at, query.to));
  }
  if (query.workflowId) {
    conditions.push(eq(activityEntries.workflowId, query.workflowId));
  }
  if (query.customerSearch) {
    // LIKE is case-insensitive for ASCII in SQLite; % and _ in the search are escaped.
    const pattern = `%${query.customerSearch.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const search = or(
      like(activityEntries.customerName, pattern),
      like(activityEntries.customerTenantId, pattern),
    );
    if (search) {
      conditions.push(search);
    }
  }
  return and(...conditions);
}

/** Keyset page in time order (at, id); `afterId`/`afterAt` are the last row seen. */
export async function listActivityEntries(
  db: EngineDb,
  query: ActivityQuery,
  page: { limit: number; after?: { at: string; id: number } | null },
): Promise<{ rows: ActivityEntryRow[]; totalCount: number }> {
  const where = whereOf(query);
  const keyset = page.after
    ? or(
        gt(activityEntries.at, page.after.at),
        and(eq(activityEntries.at, page.after.at), gt(activityEntries.id, page.after.id)),
      )
    : undefined;
  const rows = db
    .select()
    .from(activityEntries)
    .where(keyset ? and(where, keyset) : where)
    .orderBy(asc(activityEntries.at), asc(activityEntries.id))
    .limit(page.limit)
    .all();
  const total = db.select({ n: count() }).from(activityEntries).where(where).get();
  return { rows, totalCount: total?.n ?? 0 };
}

export async function getActivityEntry(
  db: EngineDb,
  id: number,
): Promise<ActivityEntryRow | undefined> {
  return db.select().from(activityEntries).where(eq(activityEntries.id, id)).get();
}

export async function getAuditCursor(
  db: EngineDb,
  partnerTenantId: string,
): Promise<string | null> {
  const row = db
    .select()
    .from(auditCursors)
    .where(eq(auditCursors.partnerTenantId, partnerTenantId))
    .get();
  return row?.readUntil ?? null;
}

export async function setAuditCursor(
  db: EngineDb,
  partnerTenantId: string,
  readUntil: string,
): Promise<void> {
  db.insert(auditCursors)
    .values({ partnerTenantId, readUntil })
    .onConflictDoUpdate({ target: auditCursors.partnerTenantId, set: { readUntil } })
    .run();
}
