import { and, asc, count, eq, gt, gte, ilike, isNull, like, lte, or, type SQL } from 'drizzle-orm';
import type { activityEntries } from '../../../schema/workflow-tables.js';
import { dialectOf, first, tablesOf, transaction } from '../../db/client.js';
import { foldForSearch } from '../../shared/search-text.js';
import { type EngineDb } from '../../workflows/engine/db.types.js';

export type ActivityEntryRow = typeof activityEntries.$inferSelect;
export type NewActivityEntry = Omit<typeof activityEntries.$inferInsert, 'id' | 'customerSearch'>;

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
  const { activityEntries } = tablesOf(db);
  await transaction(db, async (tx) => {
    const rows = entries.map((e) => ({
      ...e,
      customerSearch: foldForSearch([e.customerName, e.customerTenantId].filter(Boolean).join(' ')),
    }));
    await tx.insert(activityEntries).values(rows).onConflictDoNothing();
  });
}

export interface ActivityQuery {
  organizationId: string;
  from?: string | null;
  to?: string | null;
  customerSearch?: string | null;
  workflowId?: string | null;
}

function whereOf(db: EngineDb, query: ActivityQuery): SQL | undefined {
  const { activityEntries } = tablesOf(db);
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
    // Accents and case folded on both sides (customer_search is folded on insert), so "negoce"
    // finds "Négoce" on SQLite and PostgreSQL alike; % and _ are escaped. Rows from before the
    // column existed fall back to a case-insensitive match (ILIKE on PostgreSQL, LIKE on SQLite).
    const escape = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const folded = escape(foldForSearch(query.customerSearch));
    const raw = escape(query.customerSearch);
    const match = dialectOf(db) === 'pg' ? ilike : like;
    const search = or(
      like(activityEntries.customerSearch, folded),
      and(
        isNull(activityEntries.customerSearch),
        or(match(activityEntries.customerName, raw), match(activityEntries.customerTenantId, raw)),
      ),
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
  const { activityEntries } = tablesOf(db);
  const where = whereOf(db, query);
  const keyset = page.after
    ? or(
        gt(activityEntries.at, page.after.at),
        and(eq(activityEntries.at, page.after.at), gt(activityEntries.id, page.after.id)),
      )
    : undefined;
  const rows = await db
    .select()
    .from(activityEntries)
    .where(keyset ? and(where, keyset) : where)
    .orderBy(asc(activityEntries.at), asc(activityEntries.id))
    .limit(page.limit);
  const total = first(await db.select({ n: count() }).from(activityEntries).where(where));
  return { rows, totalCount: total?.n ?? 0 };
}

export async function getActivityEntry(
  db: EngineDb,
  id: number,
): Promise<ActivityEntryRow | undefined> {
  const { activityEntries } = tablesOf(db);
  return first(await db.select().from(activityEntries).where(eq(activityEntries.id, id)).limit(1));
}

export async function getAuditCursor(
  db: EngineDb,
  partnerTenantId: string,
): Promise<string | null> {
  const { auditCursors } = tablesOf(db);
  const row = first(
    await db
      .select()
      .from(auditCursors)
      .where(eq(auditCursors.partnerTenantId, partnerTenantId))
      .limit(1),
  );
  return row?.readUntil ?? null;
}

export async function setAuditCursor(
  db: EngineDb,
  partnerTenantId: string,
  readUntil: string,
): Promise<void> {
  const { auditCursors } = tablesOf(db);
  await db
    .insert(auditCursors)
    .values({ partnerTenantId, readUntil })
    .onConflictDoUpdate({ target: auditCursors.partnerTenantId, set: { readUntil } });
}
