import type { ScenarioDefinition } from './scenario.schema.js';

type CustomerDef = NonNullable<ScenarioDefinition['customers']>[number];

/**
 * GDAP on top of the `demo` preset (issue 14 item 5): some customers already have an active GDAP
 * relationship with their Contoso tenant (one auto-extends, one holds Global Administrator), and
 * the in-region prospect Rhein Medien has a request from Fabrikam pending that it rejects
 * (label `gdap-rejects`; it rejects any GDAP request, 6 virtual hours after it is sent).
 */
const GDAP_BY_KEY: Record<string, { labels?: string[]; gdap: NonNullable<CustomerDef['gdap']> }> = {
  'alpine-foods': {
    labels: ['gdap-active'],
    gdap: {
      relationships: [
        { partner: 'contoso-fr', displayName: 'Contoso FR - Alpine Foods', daysAgo: 120 },
      ],
    },
  },
  bastide: {
    labels: ['gdap-active'],
    gdap: {
      relationships: [
        {
          partner: 'contoso-fr',
          displayName: 'Contoso FR - Bastide',
          autoExtend: true,
          daysAgo: 700,
        },
      ],
    },
  },
  bergmann: {
    labels: ['gdap-active'],
    gdap: {
      relationships: [
        {
          partner: 'contoso-de',
          displayName: 'Contoso DE - Bergmann (GA)',
          roles: ['global-admin'],
          duration: 'P365D',
          daysAgo: 200,
        },
      ],
    },
  },
  rhein: {
    labels: ['gdap-rejects'],
    gdap: {
      decision: { rejectAfterHours: 6 },
      relationships: [
        {
          partner: 'fabrikam-uk',
          displayName: 'Fabrikam - Rhein Medien',
          status: 'approvalPending',
          daysAgo: 1,
        },
      ],
    },
  },
};

export function withGdapDemo(demo: ScenarioDefinition): ScenarioDefinition {
  return {
    ...demo,
    customers: (demo.customers ?? []).map((c) => {
      const extra = GDAP_BY_KEY[c.key];
      return extra
        ? { ...c, labels: [...(c.labels ?? []), ...(extra.labels ?? [])], gdap: extra.gdap }
        : c;
    }),
  };
}
