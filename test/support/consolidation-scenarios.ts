import { type ScenarioDefinition } from '../../emulator/index.js';
import { demoScenario } from '../../emulator/scenarios/demo.preset.js';
import { encodeId } from '../../server/shared/ids.js';
import { type TestApp } from './app.js';
import { PLAN_CONSOLIDATION, type TenantRow } from './consolidation.js';

type CustomerDef = NonNullable<ScenarioDefinition['customers']>[number];

/**
 * The demo's organizations and tenants with only the given customers: a consolidation test that
 * needs exact timing or an exact catalog case does not wait for 25 seeded customers.
 */
export function demoTenantsWith(customers: CustomerDef[], seed = 1): ScenarioDefinition {
  return { ...demoScenario(seed), name: 'demo-tenants', customers };
}

/** Plans a consolidation of the given customers (keys `${sourceTenantId}/${customerTenantId}`). */
export async function planConsolidationOf(
  t: Pick<TestApp, 'gql'>,
  token: string,
  sources: TenantRow[],
  target: TenantRow,
  customers: Array<{ sourceTenantId: string; customerTenantId: string }>,
): Promise<{
  id: string;
  userErrors: unknown[];
  blockers: Array<{ code: string; message: string; subject: string | null }>;
}> {
  const res = await t.gql<{
    planTenantConsolidation: {
      userErrors: unknown[];
      workflow: {
        id: string;
        blockers: Array<{ code: string; message: string; subject: string | null }>;
      } | null;
    };
  }>(PLAN_CONSOLIDATION, {
    token,
    variables: {
      input: {
        sourcePartnerTenantIds: sources.map((s) => s.id),
        targetPartnerTenantId: target.id,
        customerIds: customers.map((c) =>
          encodeId('Customer', c.sourceTenantId, c.customerTenantId),
        ),
      },
    },
  });
  const payload = res.body.data?.planTenantConsolidation;
  if (!payload) {
    throw new Error(`planTenantConsolidation: ${JSON.stringify(res.body.errors)}`);
  }
  return {
    id: payload.workflow?.id ?? '',
    userErrors: payload.userErrors,
    blockers: payload.workflow?.blockers ?? [],
  };
}
