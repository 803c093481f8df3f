import { type PartnerCenterClient } from '../../../partner-center/client.js';
import {
  pcAuditRecordCollectionSchema,
  type PcAuditRecord,
} from '../../../partner-center/contracts/audit-records.js';
import { type PcSubscription } from '../../../partner-center/contracts/subscriptions.js';
import { PartnerCenterError } from '../../../partner-center/errors.js';
import { realDate } from '../../../partner-center/mapping.js';
import { type StepContext } from '../../../workflows/engine/step-context.js';
import { type ConsolidationData, type SubscriptionItemData } from '../consolidation.model.js';

/**
 * Where a billing timestamp of a consolidation item came from: Partner Center's own record
 * (`effectiveStartDate`, an audit record) or, when Partner Center has none, the moment the engine
 * saw the change (an upper bound: the change happened before we saw it).
 */
export type TimestampSource = 'PARTNER_CENTER' | 'OBSERVED';

export interface BillingTimestamp {
  at: string;
  source: TimestampSource;
}

/**
 * When the target subscription started billing (R-CON-4/5), from Partner Center: its
 * `effectiveStartDate` (the start of its term: billing runs from the purchase even while it is
 * still provisioning), else its `creationDate`. Never later than when we saw it active (a date in
 * the future, a placeholder or a missing value falls back to the observation). With provisioning
 * taking hours and a coarse clock, the observation can be the next UTC day: counting overlap from
 * it under-states the double billing Microsoft will not credit.
 */
export function targetBillingStart(
  subscription: Pick<PcSubscription, 'effectiveStartDate' | 'creationDate'>,
  observedAt: Date,
): BillingTimestamp {
  for (const raw of [subscription.effectiveStartDate, subscription.creationDate]) {
    const at = realDate(raw);
    if (at && at.getTime() <= observedAt.getTime()) {
      return { at: at.toISOString(), source: 'PARTNER_CENTER' };
    }
  }
  return { at: observedAt.toISOString(), source: 'OBSERVED' };
}

/** Keys of `resourceNewValue` (a PascalCase JSON string, reference §8), lower-cased. */
function newValueOf(record: PcAuditRecord): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(record.resourceNewValue ?? 'null');
    if (!parsed || typeof parsed !== 'object') {
      return {};
    }
    return Object.fromEntries(
      Object.entries(parsed as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), v]),
    );
  } catch {
    return {};
  }
}

const DAY_MS = 86_400_000;
/** Partner Center keeps audit records 90 days; an older start date is refused (400). */
const AUDIT_RETENTION_DAYS = 89;

/** The first day of a suspension's audit window: its replacement's billing day, within retention. */
export function auditStartDate(since: string, observedAt: Date): string {
  const oldest = observedAt.getTime() - AUDIT_RETENTION_DAYS * DAY_MS;
  return new Date(Math.max(Date.parse(since), oldest)).toISOString().slice(0, 10);
}

/**
 * The source tenant's audit records of one customer from `startDate` on (reference §8: one
 * CustomerId filter): what {@link latestSuspension} looks in. One read serves every subscription
 * of the customer (shared-reads.ts).
 */
export function customerAuditRecords(
  client: PartnerCenterClient,
  customerTenantId: string,
  startDate: string,
): Promise<PcAuditRecord[]> {
  return client.listCollection(
    '/auditrecords',
    pcAuditRecordCollectionSchema,
    {},
    {
      startDate,
      filter: JSON.stringify({ Field: 'CustomerId', Value: customerTenantId, Operator: 'equals' }),
    },
  );
}

/**
 * The latest successful `update_subscription` record among `records` that set `subscriptionId` to
 * `suspended`, no later than `observedAt`; null when there is none.
 */
export function latestSuspension(
  records: readonly PcAuditRecord[],
  subscriptionId: string,
  observedAt: Date,
): string | null {
  let latest: string | null = null;
  for (const record of records) {
    if (
      record.operationType.toLowerCase() !== 'update_subscription' ||
      (record.operationStatus && record.operationStatus.toLowerCase() !== 'succeeded')
    ) {
      continue;
    }
    const value = newValueOf(record);
    const id = typeof value.id === 'string' ? value.id : null;
    const status = typeof value.status === 'string' ? value.status.toLowerCase() : null;
    const at = Date.parse(record.operationDate);
    if (
      id?.toLowerCase() !== subscriptionId.toLowerCase() ||
      status !== 'suspended' ||
      Number.isNaN(at) ||
      at > observedAt.getTime()
    ) {
      continue;
    }
    const iso = new Date(at).toISOString();
    if (!latest || iso > latest) {
      latest = iso;
    }
  }
  return latest;
}

/**
 * When Partner Center suspended the source subscription: the latest successful
 * `update_subscription` audit record of the source tenant that set it to `suspended`, between
 * `since` (its replacement's billing start) and `observedAt` (reference §8: one CustomerId filter,
 * the window from `since`'s day). Null when the audit log has no such record (the caller then
 * keeps the observation).
 */
export async function sourceSuspensionTime(
  client: PartnerCenterClient,
  customerTenantId: string,
  subscriptionId: string,
  since: string,
  observedAt: Date,
): Promise<string | null> {
  const records = await customerAuditRecords(
    client,
    customerTenantId,
    auditStartDate(since, observedAt),
  );
  return latestSuspension(records, subscriptionId, observedAt);
}

/** The suspend step's journalled outcome. */
export interface SuspendOutcome {
  /** When the engine saw the source suspended (after its PATCH, or when it found it so). */
  suspendedAt: string;
  /**
   * Set only when this item's own PATCH turned the subscription from active to suspended: when
   * that request started. Partner Center suspended it between `requestedAt` and `suspendedAt`.
   */
  requestedAt?: string;
}

/**
 * The source's end of billing for the suspend step: Partner Center's audit time when it has one,
 * else the observation (an upper bound, never an under-stated overlap). An audit log that cannot
 * be read does not undo a suspension that happened: the item finishes on the observation, and an
 * event says why.
 *
 * Issue 20 (no re-read after a certain outcome): when the item's own PATCH suspended the
 * subscription and the request started and ended on one UTC day, Partner Center's time lies in
 * that request and the overlap's days are exact from the observation: no audit read. The audit
 * log is read only when the outcome is uncertain (found suspended after a crash or by hand, a
 * PATCH across midnight, a journal entry of an older version), through `readAudit` (shared per
 * customer and source tenant, read after this item's suspension).
 */
export async function suspensionOf(
  ctx: StepContext<ConsolidationData, SubscriptionItemData>,
  outcome: SuspendOutcome,
  readAudit: (startDate: string) => Promise<PcAuditRecord[]>,
): Promise<BillingTimestamp> {
  const sub = ctx.data;
  const observedIso = outcome.suspendedAt;
  if (outcome.requestedAt && outcome.requestedAt.slice(0, 10) === observedIso.slice(0, 10)) {
    return { at: observedIso, source: 'OBSERVED' };
  }
  try {
    const observedAt = new Date(Math.max(Date.parse(observedIso), ctx.now().getTime()));
    const records = await readAudit(auditStartDate(sub.targetActiveAt ?? observedIso, observedAt));
    const at = latestSuspension(records, sub.sourceSubscriptionId, observedAt);
    if (at) {
      return { at, source: 'PARTNER_CENTER' };
    }
  } catch (error) {
    const cause =
      error instanceof PartnerCenterError
        ? `${error.operation}: ${error.status} ${error.code} ${error.description}`
        : String(error);
    ctx.emit({
      type: 'AUDIT_UNAVAILABLE',
      message: `Partner Center's audit log could not be read for the suspension time of ${sub.sourceSubscriptionId} (${cause}); the overlap counts until ${observedIso}, when the suspension was seen.`,
      subscriptionId: sub.sourceSubscriptionId,
    });
  }
  return { at: observedIso, source: 'OBSERVED' };
}
