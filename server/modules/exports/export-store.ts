import { randomUUID } from 'node:crypto';
import { type RequestScope } from '../../shared/request-scope.js';
import { type Clock } from '../../shared/clock.js';
import { type EngineDb } from '../../workflows/engine/db.types.js';
import { render, type ExportFormat, type Table } from './export-format.js';
import { insertExportFile } from './export.repository.js';

export interface ExportResult {
  fileName: string;
  contentType: string;
  rowCount: number;
  url: string;
  /** The stored expiry the download route enforces (404 from this instant on). */
  expiresAt: Date;
}

/** A name as part of a file name: letters of any script and digits kept, the rest one `-`. */
export function fileSlug(name: string): string {
  return (
    name
      .normalize('NFC')
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '')
      .toLowerCase() || 'export'
  );
}

/** Exports are kept a week, then downloads answer 404. */
export const EXPORT_TTL_MS = 7 * 86_400_000;

/**
 * Renders a table as CSV or XLSX and stores it for its organization; every export of the product
 * (subscriptions, activity log, inventories, plans, reconciliation) goes through here.
 */
export async function storeExport(
  deps: { db: EngineDb; clock: Clock; publicUrl: string; ttlMs?: number },
  scope: RequestScope,
  baseName: string,
  table: Table,
  format: ExportFormat,
): Promise<ExportResult> {
  const { content, contentType, extension } = await render(table, format);
  const now = deps.clock.now();
  const id = randomUUID();
  const fileName = `${baseName}-${now.toISOString().slice(0, 10)}.${extension}`;
  // Kept to the millisecond the row stores, so `Export.expiresAt` is exactly what downloads check.
  const expiresAt = new Date(now.getTime() + (deps.ttlMs ?? EXPORT_TTL_MS));
  await insertExportFile(deps.db, {
    id,
    organizationId: scope.actor.organizationId,
    createdBy: scope.actor.userId,
    fileName,
    contentType,
    rowCount: table.rows.length,
    content,
    createdAt: now.toISOString(),
    expiresAt: expiresAt.toISOString(),
  });
  return {
    fileName,
    contentType,
    rowCount: table.rows.length,
    url: `${deps.publicUrl}/exports/${id}`,
    expiresAt,
  };
}
