import type { ScenarioDefinition } from './scenario.schema.js';

type CustomerDef = NonNullable<ScenarioDefinition['customers']>[number];

/**
 * Roles of the GDAP relationships Microsoft's DAP-to-GDAP transition ("Microsoft-led transition",
 * MLT) created for partners' DAP customers (a subset we model: the aliases the emulator knows;
 * a guess, README "Where we guessed").
 */
const MLT_ROLES = [
  'directory-readers',
  'user-admin',
  'license-admin',
  'helpdesk-admin',
  'service-support-admin',
];

/**
 * Today every DAP customer of a partner has a GDAP relationship with it (Microsoft moved DAP
 * customers to GDAP; DAP is retired), so a partner with `requireGdap` on can still act for its own
 * customers: one auto-extending MLT-style relationship per relationship with delegated admin.
 * Used by the presets of today's Partner Center (`demo-today`, `large-today`), the same guess for
 * both; customers with GDAP of their own (gdap-demo.preset.ts) keep theirs.
 */
export function withTransitionedGdap(c: CustomerDef): CustomerDef {
  if (c.gdap) {
    return c;
  }
  const relationships = (c.relationships ?? [])
    .filter((r) => r.delegatedAdmin !== false && r.relationship !== 'none')
    .map((r) => ({
      partner: r.partner,
      displayName: `MLT_${c.key}_${r.partner}`.slice(0, 50),
      roles: MLT_ROLES,
      status: 'active' as const,
      duration: 'P730D',
      autoExtend: true,
      daysAgo: 400,
    }));
  return relationships.length > 0 ? { ...c, gdap: { relationships } } : c;
}
