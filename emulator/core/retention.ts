import type { AuditRecordRecord, IdempotencyRecord } from './model.js';
import type { Store } from './store.js';

/**
 * How much history one emulator keeps (README "Memory"). The state (customers, subscriptions,
 * orders) is kept whole; what only grows with traffic is bounded: MS-RequestId replay records,
 * audit records and the request journal (`journalLimit`). At 5,000 customers × 11 subscriptions
 * and a consolidation of them (≈ 100,000 writes) these were ~75% of the emulator's growth.
 */
export interface RetentionOptions {
  /** Most MS-RequestId replay records kept, oldest dropped first. Default 20,000. */
  idempotencyRecords: number;
  /**
   * How long (virtual time) a replay record answers a retried write. Partner Center does not
   * document it; a guess: 24 hours, far beyond any client's retry window. Default 86,400,000 ms.
   */
  idempotencyTtlMs: number;
  /** Audit records are kept 90 days (reference §8: older start dates are refused anyway). */
  auditDays: number;
  /**
   * Most audit records kept per partner tenant, oldest dropped first: an emulator bound, not
   * Partner Center's (which keeps 90 days). Default 10,000 (the API's activity sync reads the
   * latest pages only).
   */
  auditRecordsPerPartner: number;
}

export const DEFAULT_RETENTION: RetentionOptions = {
  idempotencyRecords: 20_000,
  idempotencyTtlMs: 24 * 3_600_000,
  auditDays: 90,
  auditRecordsPerPartner: 10_000,
};

const DAY_MS = 86_400_000;

/** Stores a replay record and drops the oldest beyond the limit or the time to live. */
export function retainReplay(
  store: Store,
  record: IdempotencyRecord,
  retention: RetentionOptions,
  now: Date,
): void {
  // Re-inserted at the end: the Map's order is the records' age.
  store.idempotency.delete(record.key);
  store.idempotency.set(record.key, record);
  const expired = new Date(now.getTime() - retention.idempotencyTtlMs).toISOString();
  for (const [key, oldest] of store.idempotency) {
    if (store.idempotency.size <= retention.idempotencyRecords && oldest.createdAt >= expired) {
      break;
    }
    store.idempotency.delete(key);
  }
}

/** The replay record of a key, unless it has expired (then it is dropped). */
export function replayRecord(
  store: Store,
  key: string,
  retention: RetentionOptions,
  now: Date,
): IdempotencyRecord | undefined {
  const record = store.idempotency.get(key);
  if (!record) {
    return undefined;
  }
  if (Date.parse(record.createdAt) + retention.idempotencyTtlMs < now.getTime()) {
    store.idempotency.delete(key);
    return undefined;
  }
  return record;
}

/**
 * Drops a partner's audit records older than the retention or beyond its count. Trimmed in
 * batches of a tenth of the limit, so a busy tenant pays for it once per thousands of records.
 */
export function retainAudit(
  store: Store,
  partnerId: string,
  retention: RetentionOptions,
  now: Date,
): void {
  const rows = store.auditByPartner.get(partnerId);
  if (!rows || rows.length === 0) {
    return;
  }
  const cutoff = new Date(now.getTime() - retention.auditDays * DAY_MS).toISOString();
  const slack = Math.max(1, Math.floor(retention.auditRecordsPerPartner / 10));
  let drop =
    rows.length > retention.auditRecordsPerPartner + slack
      ? rows.length - retention.auditRecordsPerPartner
      : 0;
  // Records are appended in time order: the expired ones are at the head.
  const head = rows[drop];
  if (head && head.operationDate < cutoff) {
    while (drop < rows.length && (rows[drop] as AuditRecordRecord).operationDate < cutoff) {
      drop += 1;
    }
  }
  if (drop > 0) {
    store.dropAuditRecords(partnerId, drop);
  }
}
