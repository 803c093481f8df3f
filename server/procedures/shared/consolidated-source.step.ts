import { type StepOutcome } from '../../workflows/engine/engine.types.js';
import { type EngineDb } from '../../workflows/engine/db.types.js';
import { type StepContext } from '../../workflows/engine/step-context.js';
import {
  type ConsolidatedSourceRequest,
  consolidatedSourceRefusal,
} from './consolidated-source.guard.js';

/**
 * The run-time form of the one R-CON-7/8 guard, for the steps that write to Partner Center: a plan
 * checked at planning time may meet a consolidation started since (between plan and start, or while
 * the workflow waited for a customer). Checked right before the write; a refusal blocks the item
 * with the guard's reason and the step returns the outcome instead of writing.
 */
export async function consolidatedSourceBlock<W, I>(
  ctx: Pick<StepContext<W, I>, 'workflow' | 'item' | 'block' | 'succeededSteps'>,
  db: EngineDb,
  request: Omit<ConsolidatedSourceRequest, 'organizationId'> & {
    /**
     * The journal step of the write: once it succeeded (a re-run after a crash between the write
     * and the outcome), the write is done and the step only finishes; it is not refused afterwards.
     */
    write?: string;
  },
): Promise<StepOutcome | null> {
  const { write, ...guarded } = request;
  if (write && (await ctx.succeededSteps()).some((s) => s.step === write)) {
    return null;
  }
  const refusal = await consolidatedSourceRefusal(db, {
    organizationId: ctx.workflow.organizationId,
    ...guarded,
  });
  if (!refusal) {
    return null;
  }
  ctx.block({ code: refusal.code, message: refusal.message, subject: ctx.item.subject });
  return { type: 'blocked', code: refusal.code, message: refusal.message, state: 'BLOCKED' };
}
