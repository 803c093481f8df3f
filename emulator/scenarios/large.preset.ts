import { deriveRng } from '../core/rng.js';
import type { ScenarioDefinition } from './scenario.schema.js';
import { withTransitionedGdap } from './transitioned-gdap.scenario.js';

export interface LargeSize {
  customers: number;
  subscriptionsPerCustomer: number;
}

const OFFERS = [
  'office365-e1',
  'office365-e3',
  'office365-e5',
  'microsoft365-business-standard',
  'microsoft365-business-premium',
  'ems-e3',
  'ems-e5',
  'dynamics365-sales-enterprise',
];
const COUNTRIES = ['FR', 'DE', 'ES', 'IT'];
const WORDS = [
  'Nova',
  'Atlas',
  'Vega',
  'Orion',
  'Lumen',
  'Terra',
  'Aqua',
  'Sol',
  'Polar',
  'Delta',
  'Echo',
  'Zenit',
];
const SUFFIX = [
  'Systems',
  'Foods',
  'Logistics',
  'Consulting',
  'Retail',
  'Energy',
  'Health',
  'Media',
];

/** Subscriptions of the `large-today` customer above the 300-per-tenant transfer cap (§11). */
export const OVER_CAP_SUBSCRIPTIONS = 320;

/**
 * The `large` preset for benchmarks: the demo's partner layout with `customers` customers spread
 * over the four regional tenants, each with `subscriptionsPerCustomer` subscriptions (one legacy
 * Azure in five customers). 5,000 × 10 builds in a few seconds. `commerce: 'today'` (preset
 * `large-today`) makes four license subscriptions in five new commerce (all of them for one
 * customer in five, none for another one in five), adds one customer
 * (`over-transfer-cap`) with more subscriptions than one transfer may carry, and gives every
 * relationship with delegated admin the GDAP relationship Microsoft's DAP-to-GDAP transition left
 * (`MLT_<customer>_<partner>`, the same guess as `demo-today`), so a consolidation still works with
 * `requireGdap` on (the source suspends and orders under GDAP, 403/20002 without it).
 */
export function largeScenario(
  seed: number,
  size: LargeSize,
  commerce: 'legacy' | 'today' = 'legacy',
): ScenarioDefinition {
  const rng = deriveRng(seed, 'large');
  const tenants = ['large-fr', 'large-de', 'large-es', 'large-it'];
  const customers: NonNullable<ScenarioDefinition['customers']> = [];
  for (let i = 0; i < size.customers; i += 1) {
    const t = i % 4;
    const partner = tenants[t] ?? 'large-fr';
    const subs: { partner: string; offer: string; quantity?: number }[] = [];
    // large-today: one customer in five holds new-commerce licenses only (no legacy offer, no
    // Azure) and one in five legacy licenses only, so a benchmark of the first N customers has
    // customers whose every subscription takes the transfer path, and others the re-provision
    // path (the rest mix both).
    const allNewCommerce = commerce === 'today' && i % 5 === 1;
    const allLegacy = commerce === 'today' && i % 5 === 3;
    for (let j = 0; j < size.subscriptionsPerCustomer; j += 1) {
      const azure = j === 0 && i % 5 === 0;
      subs.push(
        azure
          ? { partner, offer: 'azure-legacy' }
          : {
              partner,
              offer: `${OFFERS[(i + j) % OFFERS.length] ?? 'office365-e3'}${commerce === 'today' && !allLegacy && (allNewCommerce || j % 5 !== 4) ? '-nce' : ''}`,
              quantity: rng.int(1, 300),
            },
      );
    }
    customers.push({
      key: `large-customer-${i}`,
      companyName: `${WORDS[i % WORDS.length] ?? 'Nova'} ${SUFFIX[Math.floor(i / WORDS.length) % SUFFIX.length] ?? 'Systems'} ${String(i).padStart(5, '0')}`,
      country: COUNTRIES[t] ?? 'FR',
      relationships: [{ partner }],
      subscriptions: subs,
      autopilot: { acceptInvitation: rng.int(1, 48) },
    });
  }
  if (commerce === 'today') {
    customers.push({
      key: 'large-over-cap',
      companyName: 'Nova Holdings Over Cap',
      country: 'FR',
      labels: ['over-transfer-cap'],
      relationships: [{ partner: 'large-fr' }, { partner: 'large-eu' }],
      subscriptions: Array.from({ length: OVER_CAP_SUBSCRIPTIONS }, (_, j) => ({
        partner: 'large-fr',
        offer: `${OFFERS[j % OFFERS.length] ?? 'office365-e3'}-nce`,
        quantity: 1 + (j % 25),
      })),
    });
  }
  return {
    name: commerce === 'today' ? 'large-today' : 'large',
    // The legacy world keeps DAP only (as `demo`); today's has the transition's GDAP.
    organizations: [
      {
        key: 'large-org',
        name: 'Contoso Cloud Group',
        tenants: [
          {
            key: 'large-fr',
            name: 'Contoso Cloud France',
            country: 'FR',
            kind: 'direct',
            labels: ['regional'],
          },
          {
            key: 'large-de',
            name: 'Contoso Cloud Deutschland',
            country: 'DE',
            kind: 'direct',
            labels: ['regional'],
          },
          {
            key: 'large-es',
            name: 'Contoso Cloud España',
            country: 'ES',
            kind: 'direct',
            labels: ['regional'],
          },
          {
            key: 'large-it',
            name: 'Contoso Cloud Italia',
            country: 'IT',
            kind: 'direct',
            labels: ['regional'],
          },
          {
            key: 'large-eu',
            name: 'Contoso Cloud Europe',
            country: 'IE',
            kind: 'direct',
            labels: ['central'],
          },
        ],
      },
    ],
    customers: commerce === 'today' ? customers.map(withTransitionedGdap) : customers,
  };
}
