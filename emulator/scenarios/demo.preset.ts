import { deriveRng } from '../core/rng.js';
import type { ScenarioDefinition } from './scenario.schema.js';

type CustomerDef = NonNullable<ScenarioDefinition['customers']>[number];

/**
 * The `demo` preset (ARCHITECTURE.md "Emulator"; issue 3 §9). Organization 1 "Contoso Cloud Group"
 * has four regional tenants in Europe (FR, DE, ES, IT; labelled `regional`) and one central tenant
 * (IE; labelled `central`). DE and the central tenant are indirect providers with two resellers.
 * Organization 2 "Fabrikam Partners" (GB) is the other side of transfers. Edge cases carry labels:
 * `no-mca`, `mca-pending`, `out-of-region`, `discontinued-offer`, `two-resellers`, `prospect`,
 * `never-accepts`, `billing-ownership-changed`, `suspended-azure`, `azure-plan`, `transfer-out`,
 * `transfer-in`. Names are fixed; ids, dates and acceptance delays come from the seed.
 */
export function demoScenario(seed: number): ScenarioDefinition {
  const rng = deriveRng(seed, 'demo-autopilot');
  // Customers accept one by one: 1 to 12 virtual hours after the invitation is requested.
  const hours = (): number => rng.int(1, 12);
  const c = (def: CustomerDef): CustomerDef => ({
    ...def,
    autopilot: { acceptInvitation: hours(), ...(def.autopilot ?? {}) },
  });
  const on =
    (partner: string) =>
    (
      key: string,
      companyName: string,
      country: string,
      subs: NonNullable<CustomerDef['subscriptions']>,
      extra: Partial<CustomerDef> = {},
    ): CustomerDef =>
      c({ key, companyName, country, relationships: [{ partner }], subscriptions: subs, ...extra });
  const fr = on('contoso-fr');
  const es = on('contoso-es');
  const it = on('contoso-it');
  const de = on('contoso-de');
  const eu = on('contoso-eu');
  type SubDef = NonNullable<CustomerDef['subscriptions']>[number];
  const P =
    (partner: string) =>
    (offer: string, quantity?: number, more: Partial<SubDef> = {}): SubDef => ({
      partner,
      offer,
      ...(quantity ? { quantity } : {}),
      ...more,
    });
  const FR = P('contoso-fr');
  const ES = P('contoso-es');
  const IT = P('contoso-it');
  const DE = P('contoso-de');
  const EU = P('contoso-eu');
  const FB = P('fabrikam-uk');

  return {
    name: 'demo',
    description:
      'Contoso Cloud Group (4 regional tenants + 1 central) and Fabrikam Partners, 25 customers.',
    organizations: [
      {
        key: 'contoso',
        name: 'Contoso Cloud Group',
        tenants: [
          {
            key: 'contoso-fr',
            name: 'Contoso Cloud France',
            country: 'FR',
            kind: 'direct',
            labels: ['regional'],
          },
          {
            key: 'contoso-de',
            name: 'Contoso Cloud Deutschland',
            country: 'DE',
            kind: 'indirect_provider',
            labels: ['regional'],
            resellers: [
              { key: 'reseller-nordwind', name: 'Nordwind IT Services GmbH', country: 'DE' },
              { key: 'reseller-alster', name: 'Alster Systemhaus GmbH', country: 'DE' },
            ],
          },
          {
            key: 'contoso-es',
            name: 'Contoso Cloud España',
            country: 'ES',
            kind: 'direct',
            labels: ['regional'],
          },
          {
            key: 'contoso-it',
            name: 'Contoso Cloud Italia',
            country: 'IT',
            kind: 'direct',
            labels: ['regional'],
          },
          {
            key: 'contoso-eu',
            name: 'Contoso Cloud Europe',
            country: 'IE',
            kind: 'indirect_provider',
            labels: ['central'],
            // The same resellers buy through the central tenant after consolidation.
            resellers: [{ key: 'reseller-nordwind' }, { key: 'reseller-alster' }],
          },
        ],
      },
      {
        key: 'fabrikam',
        name: 'Fabrikam Partners',
        tenants: [
          {
            key: 'fabrikam-uk',
            name: 'Fabrikam Partners UK',
            country: 'GB',
            kind: 'direct',
            labels: [],
          },
        ],
      },
    ],
    customers: [
      // --- Contoso Cloud France (direct) ---
      fr('alpine-foods', 'Alpine Foods SAS', 'FR', [FR('office365-e3', 25), FR('azure-legacy')]),
      fr('bastide', 'Bastide Architectes', 'FR', [
        FR('microsoft365-business-standard', 12),
        FR('dynamics365-sales-enterprise', 5),
      ]),
      fr(
        'camargue',
        'Camargue Logistique',
        'FR',
        [FR('office365-e1', 40), FR('ems-e3', 40), FR('azure-legacy')],
        {
          labels: ['no-mca'],
          mca: false,
          autopilot: { signMca: 'never' },
        },
      ),
      fr('dauphine', 'Dauphiné Santé', 'FR', [FR('office365-business-premium', 18)], {
        labels: ['discontinued-offer'],
      }),
      fr('atlas', 'Atlas Négoce Maroc', 'MA', [FR('office365-e3', 15), FR('azure-legacy')], {
        labels: ['out-of-region'],
      }),
      fr(
        'esterel',
        'Estérel Conseil',
        'FR',
        [FR('office365-e3', 8), FR('azure-legacy', undefined, { entitlementId: 'different' })],
        {
          labels: ['billing-ownership-changed'],
        },
      ),
      fr('flandres', 'Flandres Textile', 'FR', [FR('office365-e5', 30)], {
        labels: ['never-accepts'],
        autopilot: { acceptInvitation: 'never' },
      }),
      // --- Contoso Cloud Deutschland (indirect provider) ---
      de(
        'bergmann',
        'Bergmann Maschinenbau GmbH',
        'DE',
        [
          DE('office365-e3', 60, { resellerOfRecord: 'reseller-nordwind' }),
          DE('azure-legacy', undefined, {
            resellerOfRecord: 'reseller-nordwind',
            friendlyName: 'Bergmann Produktion',
          }),
          DE('azure-legacy', undefined, {
            resellerOfRecord: 'reseller-alster',
            friendlyName: 'Bergmann Entwicklung',
          }),
        ],
        { labels: ['two-resellers'] },
      ),
      de('hafen', 'Hafen Logistik GmbH', 'DE', [
        DE('microsoft365-business-premium', 25, { resellerOfRecord: 'reseller-alster' }),
        DE('azure-legacy', undefined, { resellerOfRecord: 'reseller-alster' }),
      ]),
      de(
        'isar',
        'Isar Software AG',
        'DE',
        [DE('ems-e5', 20), DE('dynamics-crm-online-professional', 10)],
        {
          labels: ['mca-pending', 'discontinued-offer'],
          mca: false,
        },
      ),
      de('koeln', 'Kölner Versicherungsmakler GmbH', 'DE', [
        DE('office365-e1', 35, { resellerOfRecord: 'reseller-nordwind' }),
      ]),
      de(
        'schwarzwald',
        'Schwarzwald Holz KG',
        'DE',
        [
          DE('office365-e3', 10, { resellerOfRecord: 'reseller-nordwind' }),
          DE('azure-legacy', undefined, {
            resellerOfRecord: 'reseller-nordwind',
            status: 'suspended',
          }),
        ],
        { labels: ['suspended-azure'] },
      ),
      // --- Contoso Cloud España (direct) ---
      es('costa-brava', 'Costa Brava Hoteles SL', 'ES', [
        ES('office365-e3', 45),
        ES('azure-legacy'),
      ]),
      es('granada', 'Granada Textiles SA', 'ES', [
        ES('microsoft365-business-standard', 22),
        ES('dynamics365-business-central-essentials', 6),
      ]),
      es('iberia', 'Iberia Renovables SL', 'ES', [
        ES('office365-e5', 15),
        ES('azure-legacy', undefined, { friendlyName: 'Iberia Producción' }),
        ES('azure-legacy', undefined, { friendlyName: 'Iberia Analítica' }),
      ]),
      es('mallorca', 'Mallorca Tours SL', 'ES', [ES('office365-e1', 9)]),
      // --- Contoso Cloud Italia (direct) ---
      it('dolomiti', 'Dolomiti Costruzioni Srl', 'IT', [
        IT('office365-e3', 28),
        IT('azure-legacy'),
      ]),
      it('firenze', 'Firenze Moda SpA', 'IT', [
        IT('microsoft365-business-premium', 40),
        IT('ems-e3', 40),
      ]),
      it('napoli', 'Napoli Porto Servizi Srl', 'IT', [
        IT('dynamics365-sales-enterprise', 12),
        IT('azure-legacy'),
      ]),
      it('torino', 'Torino Automazione SpA', 'IT', [IT('office365-e3', 50), IT('azure-plan')], {
        labels: ['azure-plan'],
        azurePlan: true,
      }),
      // --- Contoso Cloud Europe (central) ---
      eu('liffey', 'Liffey Digital Ltd', 'IE', [EU('office365-e3', 20), EU('azure-plan')], {
        azurePlan: true,
      }),
      eu('shannon', 'Shannon Analytics Ltd', 'IE', [EU('microsoft365-business-standard', 10)]),
      // --- Transfers between the two organizations ---
      c({
        key: 'oak-stone',
        companyName: 'Oak & Stone Consulting Ltd',
        country: 'IE',
        labels: ['transfer-out'],
        relationships: [{ partner: 'contoso-eu' }, { partner: 'fabrikam-uk' }],
        subscriptions: [
          EU('azure-legacy', undefined, { friendlyName: 'Oak & Stone Production' }),
          FB('office365-e1', 12),
        ],
      }),
      c({
        key: 'thames',
        companyName: 'Thames Valley Robotics Ltd',
        country: 'GB',
        labels: ['transfer-in'],
        relationships: [{ partner: 'fabrikam-uk' }, { partner: 'contoso-eu' }],
        subscriptions: [
          FB('azure-legacy', undefined, { friendlyName: 'Thames Robotics R&D' }),
          FB('office365-e3', 30),
        ],
      }),
      // --- Prospects: no relationship with Contoso (channel moves, R-CHN) ---
      c({
        key: 'rhein',
        companyName: 'Rhein Medien GmbH',
        country: 'DE',
        labels: ['prospect', 'prospect-in-region'],
        relationships: [{ partner: 'fabrikam-uk' }],
        subscriptions: [FB('office365-e3', 30)],
      }),
      c({
        key: 'maple',
        companyName: 'Maple Leaf Outfitters Inc',
        country: 'CA',
        labels: ['prospect', 'prospect-out-of-region'],
        relationships: [],
        subscriptions: [],
      }),
    ],
  };
}
