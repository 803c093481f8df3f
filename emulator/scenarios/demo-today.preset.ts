import { demoScenario } from './demo.preset.js';
import type { ScenarioDefinition } from './scenario.schema.js';
import { withTransitionedGdap } from './transitioned-gdap.scenario.js';

type CustomerDef = NonNullable<ScenarioDefinition['customers']>[number];
type SubDef = NonNullable<CustomerDef['subscriptions']>[number];

/** Customers whose license subscriptions stay legacy (discontinued offers, or left to migrate). */
const KEEPS_LEGACY = new Set(['dauphine', 'isar', 'mallorca', 'koeln', 'shannon']);

/** Term and billing variety for the new-commerce copies, cycling over the customers. */
const TERMS: { termDuration: 'P1M' | 'P1Y' | 'P3Y'; billingCycle: 'monthly' | 'annual' }[] = [
  { termDuration: 'P1Y', billingCycle: 'monthly' },
  { termDuration: 'P1Y', billingCycle: 'annual' },
  { termDuration: 'P1M', billingCycle: 'monthly' },
  { termDuration: 'P1Y', billingCycle: 'monthly' },
  { termDuration: 'P3Y', billingCycle: 'annual' },
];

const NCE_ALIASES = new Set([
  'office365-e1',
  'office365-e3',
  'office365-e5',
  'microsoft365-business-standard',
  'microsoft365-business-premium',
  'dynamics365-sales-enterprise',
  'dynamics365-business-central-essentials',
  'ems-e3',
  'ems-e5',
]);

/**
 * `demo-today`: the `demo` layout as tenants look today (issue 14 §5). License subscriptions of
 * the regional and central tenants are new commerce (P1M/P1Y/P3Y terms, monthly or annual
 * billing) except for a few legacy ones (`legacy-licenses`: discontinued offers and subscriptions
 * still to migrate, §9b). Fabrikam plays the other partner of new-commerce transfers: the autopilot
 * accepts its side after `autopilot.commerce.sourceAcceptHours`, except the pending transfer of
 * `Wessex Analytics Ltd` (`transfer-never-accepted`), which it never answers. The default `demo`
 * is unchanged, so the server's tests keep their legacy-license world.
 */
export function demoTodayScenario(seed: number): ScenarioDefinition {
  const base = demoScenario(seed);
  let turn = 0;
  const modernise = (c: CustomerDef): CustomerDef => {
    if (KEEPS_LEGACY.has(c.key)) {
      return { ...c, labels: [...(c.labels ?? []), 'legacy-licenses'] };
    }
    const subscriptions = (c.subscriptions ?? []).map((s): SubDef => {
      if (!NCE_ALIASES.has(s.offer)) {
        return s;
      }
      const term = TERMS[turn % TERMS.length] ?? { termDuration: 'P1Y', billingCycle: 'monthly' };
      turn += 1;
      return { ...s, offer: `${s.offer}-nce`, ...term };
    });
    return { ...c, subscriptions };
  };
  const organizations = (base.organizations ?? []).map((o) =>
    o.key === 'fabrikam'
      ? {
          ...o,
          tenants: (o.tenants ?? []).map((t) => ({
            ...t,
            autopilot: { acceptTransfers: 'default' as const },
          })),
        }
      : o,
  );
  const wessex: CustomerDef = {
    key: 'wessex',
    companyName: 'Wessex Analytics Ltd',
    country: 'GB',
    labels: ['transfer-never-accepted'],
    relationships: [{ partner: 'fabrikam-uk' }, { partner: 'contoso-eu' }],
    subscriptions: [
      { partner: 'fabrikam-uk', offer: 'office365-e3-nce', quantity: 18, termDuration: 'P1Y' },
      { partner: 'fabrikam-uk', offer: 'ems-e3-nce', quantity: 18, termDuration: 'P1Y' },
    ],
    autopilot: { acceptInvitation: 2 },
  };
  return {
    ...base,
    name: 'demo-today',
    description:
      'The demo organizations with mostly new-commerce license subscriptions, a few legacy ones, and a transfer Fabrikam never accepts.',
    organizations,
    customers: [...(base.customers ?? []).map(modernise), wessex].map(withTransitionedGdap),
    transfers: [
      {
        customer: 'wessex',
        source: 'fabrikam-uk',
        target: 'contoso-eu',
        transferType: 5,
        targetProductTypes: ['OnlineServicesNCE'],
        createdDaysAgo: 3,
        sourceAccepts: 'never',
      },
    ],
  };
}
