import { type GdapClientFactory } from '../../../graph/gdap.client.js';
import { type StepOutcome } from '../../../workflows/engine/engine.types.js';
import { type StepContext } from '../../../workflows/engine/step-context.js';
import { type ConsolidationData } from '../consolidation.model.js';
import {
  RUN_MIN_REMAINING_DAYS,
  SOURCE_GDAP_MISSING,
  sourceGdapMessage,
  sourceGdapProblem,
} from '../consolidation-source-gdap.js';
import { type ConsolidationReads } from './shared-reads.js';

const DAY_MS = 86_400_000;

/**
 * The run-time form of the SOURCE_GDAP_MISSING pre-flight (like consolidated-source.step.ts for
 * R-CON-7/8): relationships expire or are terminated between plan and start, or while the
 * customer takes days to accept. Right before the item's first write (the target's order of a
 * re-provisioned subscription, the source's Azure plan upgrade), with GDAP required, the source's
 * relationships with the customer are read again (one Graph call shared by the customer's items
 * that ask together); without one that can carry the source-side write the item is blocked and
 * nothing is written. Once the write's journal step succeeded (a re-run after a crash) it is not
 * checked again: the write is done.
 */
export async function sourceGdapBlock<I>(
  ctx: Pick<
    StepContext<ConsolidationData, I>,
    'workflow' | 'workflowData' | 'item' | 'block' | 'succeededSteps' | 'now'
  >,
  deps: { graph?: GdapClientFactory | undefined; reads: ConsolidationReads },
  request: {
    sourceTenantId: string;
    customerTenantId: string;
    companyName: string;
    /** What the source writes, for the message ("suspend Office 365 E3 (…)"). */
    writes: string;
    write: string;
  },
): Promise<StepOutcome | null> {
  const { graph, reads } = deps;
  if (ctx.workflowData.gdap?.mode !== 'required' || !graph) {
    return null;
  }
  if ((await ctx.succeededSteps()).some((s) => s.step === request.write)) {
    return null;
  }
  const { sourceTenantId, customerTenantId } = request;
  const relationships = await reads.gdapRelationships(
    ctx.workflow.id,
    sourceTenantId,
    customerTenantId,
    () => graph.forTenant(sourceTenantId).listRelationships({ customerTenantId }),
  );
  const until = new Date(ctx.now().getTime() + RUN_MIN_REMAINING_DAYS * DAY_MS);
  const problem = sourceGdapProblem(relationships, until);
  if (!problem) {
    return null;
  }
  const source = ctx.workflowData.sources.find((s) => s.tenantId === sourceTenantId) ?? {
    tenantId: sourceTenantId,
    name: sourceTenantId,
  };
  const message = `${sourceGdapMessage({ source, companyName: request.companyName, customerTenantId, writes: request.writes, problem })} (Found when about to write, after planning.)`;
  ctx.block({ code: SOURCE_GDAP_MISSING, message, subject: ctx.item.subject });
  return { type: 'blocked', code: SOURCE_GDAP_MISSING, message, state: 'BLOCKED' };
}
