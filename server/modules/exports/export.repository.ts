import { and, eq, lt } from 'drizzle-orm';
import type { exportFiles } from '../../../schema/workflow-tables.js';
import { first, tablesOf } from '../../db/client.js';
import { type EngineDb } from '../../workflows/engine/db.types.js';

export type ExportFileRow = typeof exportFiles.$inferSelect;

export async function insertExportFile(db: EngineDb, row: ExportFileRow): Promise<void> {
  const { exportFiles } = tablesOf(db);
  await db.insert(exportFiles).values(row);
}

/** An export of the organization, or undefined (another organization's id is "not found"). */
export async function getExportFile(
  db: EngineDb,
  organizationId: string,
  id: string,
): Promise<ExportFileRow | undefined> {
  const { exportFiles } = tablesOf(db);
  return first(
    await db
      .select()
      .from(exportFiles)
      .where(and(eq(exportFiles.id, id), eq(exportFiles.organizationId, organizationId)))
      .limit(1),
  );
}

export async function deleteExpiredExports(db: EngineDb, now: string): Promise<number> {
  const { exportFiles } = tablesOf(db);
  const deleted = await db
    .delete(exportFiles)
    .where(lt(exportFiles.expiresAt, now))
    .returning({ id: exportFiles.id });
  return deleted.length;
}
