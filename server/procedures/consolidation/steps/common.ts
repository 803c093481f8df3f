import { type ProductOperation } from '../../../shared/activity-operations.js';
import { PartnerCenterError } from '../../../partner-center/errors.js';
import { type PartnerCenterClientFactory } from '../../../partner-center/client-factory.js';
import { type GdapClientFactory } from '../../../graph/gdap.client.js';
import { type EngineDb } from '../../../workflows/engine/db.types.js';
import { type StepContext, stepsOf } from '../../../workflows/engine/step-context.js';
import { type ConsolidationData } from '../consolidation.model.js';
import { type ConsolidationReads } from './shared-reads.js';

/** What the consolidation's steps use besides their context. */
export interface ConsolidationStepDeps {
  /** The R-CON-7/8 guard's reads (consolidated-source.step.ts). */
  db: EngineDb;
  clients: PartnerCenterClientFactory;
  /** Microsoft Graph: the source's GDAP re-checked before a customer's first write. */
  graph?: GdapClientFactory | undefined;
  /** Reads shared by a customer's items and a workflow's customers (issue 20). */
  reads: ConsolidationReads;
  /** Fallback recheck for items that other items wake (business time). */
  wakeFallbackMs: number;
  /** Recheck of a target subscription still provisioning (business time). */
  provisioningRecheckMs: number;
  /** First completion check of an accepted transfer, after the acceptance (business time). */
  transferFirstCheckMs?: number;
}

/** The consolidation's step handlers: typed workflow data, each item kind its own data. */
export const step = stepsOf<ConsolidationData>();

const DAY_MS = 86_400_000;
export const utcDay = (iso: string) => iso.slice(0, 10);

/** Calendar days after the target's first day on which both were active (R-CON-4/5). */
export function overlapDays(targetActiveAt: string, sourceSuspendedAt: string): number {
  const days = Math.round(
    (Date.parse(utcDay(sourceSuspendedAt)) - Date.parse(utcDay(targetActiveAt))) / DAY_MS,
  );
  return Math.max(0, days);
}

export function isNotFound(error: unknown): boolean {
  return error instanceof PartnerCenterError && error.status === 404;
}

/** An activity entry of a step: written once (`wf:` external id), in the tenant it acted in. */
export function logActivity<I>(
  ctx: StepContext<ConsolidationData, I>,
  entry: {
    operation: ProductOperation;
    details: string;
    subscriptionId?: string | null;
    externalId: string;
    tenantId?: string;
    /** Who acted, when not the user who started the workflow (the customer accepting, say). */
    actor?: string;
  },
): Promise<void> {
  return ctx.activity.record({
    operation: entry.operation,
    details: entry.details,
    subscriptionId: entry.subscriptionId ?? null,
    externalId: `wf:${entry.externalId}`,
    ...(entry.tenantId ? { partnerTenantId: entry.tenantId } : {}),
    ...(entry.actor ? { actor: entry.actor } : {}),
  });
}
