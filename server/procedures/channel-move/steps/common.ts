import { type ProductOperation } from '../../../shared/activity-operations.js';
import { type PartnerCenterClientFactory } from '../../../partner-center/client-factory.js';
import { PartnerCenterError } from '../../../partner-center/errors.js';
import { type EngineDb } from '../../../workflows/engine/db.types.js';
import { type StepContext, stepsOf } from '../../../workflows/engine/step-context.js';
import { type ChannelMoveData } from '../channel-move.model.js';

/** What the channel move's steps use besides their context (defaults applied). */
export interface ChannelMoveStepDeps {
  db: EngineDb;
  clients: PartnerCenterClientFactory;
  /** Fallback recheck of the relationship item while its lines run (children wake it anyway). */
  wakeFallbackMs: number;
  /** Recheck of an ordered subscription still provisioning (business time). */
  provisioningRecheckMs: number;
}

/** The channel move's step handlers: typed workflow data, each item kind its own data. */
export const step = stepsOf<ChannelMoveData>();

export const day = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : 'unknown');

export function isNotFound(error: unknown): boolean {
  return error instanceof PartnerCenterError && error.status === 404;
}

/** An activity entry of a step, for the customer moved to the partner tenant. */
export function logActivity<I>(
  ctx: StepContext<ChannelMoveData, I>,
  entry: {
    operation: ProductOperation;
    details: string;
    subscriptionId?: string | null;
    what: string;
    /** Who acted, when not the user who started the workflow (the customer accepting, say). */
    actor?: string;
  },
): Promise<void> {
  const wf = ctx.workflowData;
  return ctx.activity.record({
    operation: entry.operation,
    details: entry.details,
    partnerTenantId: wf.partner.tenantId,
    customerTenantId: wf.customerTenantId,
    subscriptionId: entry.subscriptionId ?? null,
    // A resumed step never writes the same entry twice.
    externalId: `wf:${ctx.item.id}:${entry.what}`,
    ...(entry.actor ? { actor: entry.actor } : {}),
  });
}
