import { err, ok, type Result } from '../../shared/result.js';
import { type EngineDb } from '../../workflows/engine/db.types.js';
import { getWorkflowsByIds } from '../../workflows/engine/workflow.repository.js';
import { type ConsolidationData } from './consolidation.model.js';
import { type ConsolidationPlanOptions } from './consolidation-paths.model.js';

/** The GraphQL input of the plan options (ConsolidationPlanOptionsInput). */
export interface PlanOptionsInput {
  forceReprovision?: boolean | null;
  legacyAzure?: 'SUPPORT_MIGRATION' | 'AZURE_PLAN_THEN_TRANSFER' | null;
  wave?: number | null;
}

/** Checks and normalises the plan options (only what differs from the defaults is kept). */
export function planOptions(
  input: PlanOptionsInput | null | undefined,
): Result<ConsolidationPlanOptions> {
  const options: ConsolidationPlanOptions = {};
  if (!input) {
    return ok(options);
  }
  if (input.wave !== null && input.wave !== undefined) {
    if (!Number.isInteger(input.wave) || input.wave < 1 || input.wave > 1000) {
      return err({
        code: 'INVALID',
        message: 'options.wave is a wave number from 1 (see transferWaves of a plan).',
        field: ['input', 'options', 'wave'],
      });
    }
    options.wave = input.wave;
  }
  if (input.forceReprovision) {
    options.forceReprovision = true;
  }
  if (input.legacyAzure === 'AZURE_PLAN_THEN_TRANSFER') {
    options.legacyAzure = 'AZURE_PLAN_THEN_TRANSFER';
  }
  return ok(options);
}

/**
 * Earlier waves of the same move: consolidations to the same target planned with a wave. A later
 * wave's customers were "consolidated away" from their source by them only in part, by design
 * (§11: 300 subscriptions per tenant per consolidation), so R-CON-7/8 does not refuse the next wave
 * (planned with a wave, or without one once what remains fits in one consolidation).
 */
export async function waveSiblings(
  db: EngineDb,
  targetTenantId: string,
  consolidatedAway: Map<string, string[]>[],
): Promise<Set<string>> {
  const ids = new Set(consolidatedAway.flatMap((m) => [...m.values()].flat()));
  const rows = await getWorkflowsByIds(db, [...ids]);
  return new Set(
    rows
      .filter((r) => {
        const d = JSON.parse(r.dataJson) as ConsolidationData;
        return d.options?.wave && d.target.tenantId === targetTenantId;
      })
      .map((r) => r.id),
  );
}
