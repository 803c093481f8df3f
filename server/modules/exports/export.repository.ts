import { and, eq, lt } from 'drizzle-orm';
import { exportFiles } from '../../../schema/workflow-tables.js';
import { type EngineDb } from '../../workflows/engine/db.types.js';

export type ExportFileRow = typeof exportFiles.$inferSelect;

export async function insertExportFile(db: EngineDb, row: ExportFileRow): Promise<void> {
  db.insert(exportFiles).values(row).run();
}

/** An export of the organization, or undefined (another organization's id is "not found"). */
export async function getExportFile(
  db: EngineDb,
  organizationId: string,
  id: string,
): Promise<ExportFileRow | undefined> {
  return db
    .select()
    .from(exportFiles)
    .where(and(eq(exportFiles.id, id), eq(exportFiles.organizationId, organizationId)))
    .get();
}

export async function deleteExpiredExports(db: EngineDb, now: string): Promise<number> {
  return db.delete(exportFiles).where(lt(exportFiles.expiresAt, now)).run().changes;
}
