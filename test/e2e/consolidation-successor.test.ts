import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../emulator/index.js';
import { clockFrom } from '../../server/shared/clock.js';
import { gqlData, PC_BASE_URL, playUntil, startTestApp, type TestApp } from '../support/app.js';
import { demoTenants, workflowStatus, type TenantRow } from '../support/consolidation.js';
import { demoTenantsWith, planConsolidationOf } from '../support/consolidation-scenarios.js';
import { startWorkflow } from '../support/operations.js';

// Issue 16 §4: one discontinued offer no longer blocks a whole customer. Per item, the target
// orders the offer's catalog successor (R-CHN-6, the channel move's rule, shared) with the
// license-reassignment warning; the customer's other items move as planned; only an item with no
// successor at all is blocked, and the block names that item.

const E3 = '796B6B5F-613C-4E24-A17C-EBA730D49C02';
const O365_BUSINESS_PREMIUM = '031C9E47-4802-4248-838E-778FB1D2CC05';
const M365_BUSINESS_STANDARD = '5C9FD4CC-EDCE-44A8-8E91-07DF09744609';
const CRM_PRO = '1A6E1A5E-7C1D-4B8B-9E57-5A4C3B2D1E0F';
const D365_SALES = 'BD938F12-058F-4927-BBA3-AE36B1D2501C';
const SKYPE_PLAN2 = '2E5B7C9D-4F61-4A83-9B0C-D1E2F3A4B5C6';

const STATE = /* GraphQL */ `
  query State($id: ID!) {
    node(id: $id) {
      ... on TenantConsolidation {
        status
        blockers {
          code
          message
          subject
          customer {
            tenantId
          }
        }
        events(first: 100) {
          edges {
            node {
              type
              message
            }
          }
        }
        customers(first: 10) {
          edges {
            node {
              state
              customer {
                tenantId
                companyName
              }
              items {
                kind
                status
                seats
                proposedOfferId
                proposedOfferName
                successorReason
                source {
                  subscriptionId
                  offerId
                  status
                }
                target {
                  subscriptionId
                  offerId
                  quantity
                  status
                }
              }
            }
          }
        }
      }
    }
  }
`;

interface Item {
  kind: string;
  status: string;
  seats: number;
  proposedOfferId: string | null;
  proposedOfferName: string | null;
  successorReason: string | null;
  source: { subscriptionId: string; offerId: string; status: string };
  target: { subscriptionId: string; offerId: string; quantity: number; status: string } | null;
}
interface State {
  status: string;
  blockers: Array<{
    code: string;
    message: string;
    subject: string | null;
    customer: { tenantId: string } | null;
  }>;
  events: { edges: Array<{ node: { type: string; message: string } }> };
  customers: {
    edges: Array<{
      node: { state: string; customer: { tenantId: string; companyName: string }; items: Item[] };
    }>;
  };
}

/** RFC 4180: quoted fields may hold commas, quotes ("") and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else {
      field += c;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

describe('a discontinued offer moves to its catalog successor, per item (R-CHN-6 in the consolidation)', () => {
  let emulator: Emulator;
  let t: TestApp;
  let token: string;
  let target: TenantRow;
  let id: string;
  const tenant: Record<'mixed' | 'partly' | 'none', string> = { mixed: '', partly: '', none: '' };

  const state = async () =>
    (await gqlData<{ node: State }>(t, STATE, { token, variables: { id } }))?.node as State;
  const customerOf = (s: State, key: keyof typeof tenant) =>
    s.customers.edges.find((e) => e.node.customer.tenantId === tenant[key])?.node;
  const itemOf = (s: State, key: keyof typeof tenant, offerId: string) =>
    customerOf(s, key)?.items.find((i) => i.source.offerId.toUpperCase() === offerId);

  beforeAll(async () => {
    emulator = createEmulator({
      scenario: demoTenantsWith([
        {
          key: 'mixed',
          companyName: 'Succession & Fils, "Lyon"',
          country: 'FR',
          relationships: [{ partner: 'contoso-fr' }],
          subscriptions: [
            { partner: 'contoso-fr', offer: 'office365-e3', quantity: 10 },
            { partner: 'contoso-fr', offer: 'office365-business-premium', quantity: 7 },
            { partner: 'contoso-fr', offer: 'dynamics-crm-online-professional', quantity: 3 },
          ],
          autopilot: { acceptInvitation: 1 },
        },
        {
          // Skype for Business Online (Plan 2) is retired with no successor: that one subscription
          // stays, the customer's E3 moves.
          key: 'partly',
          companyName: 'Café Viennois SARL',
          country: 'FR',
          relationships: [{ partner: 'contoso-fr' }],
          subscriptions: [
            { partner: 'contoso-fr', offer: 'office365-e3', quantity: 4 },
            { partner: 'contoso-fr', offer: 'skype-for-business-online-plan2', quantity: 2 },
          ],
          autopilot: { acceptInvitation: 2 },
        },
        {
          key: 'none',
          companyName: 'Seulement Skype SAS',
          country: 'FR',
          relationships: [{ partner: 'contoso-fr' }],
          subscriptions: [
            { partner: 'contoso-fr', offer: 'skype-for-business-online-plan2', quantity: 1 },
          ],
          autopilot: { acceptInvitation: 1 },
        },
      ]),
      seed: 4,
    });
    t = await startTestApp({
      emulator,
      clock: clockFrom(emulator.clock),
      env: { WORKFLOW_RUNNER: 'off' },
      runner: { retryBaseMs: 1, retryMaxMs: 2 },
    });
    const partners = emulator.control.partners();
    token = await t.token(partners.find((p) => p.labels.includes('central'))?.organizationId ?? '');
    const tenants = await demoTenants(t, emulator, token);
    target = tenants.target;
    const fr = tenants.sources.find((s) => s.name === 'Contoso Cloud France') as TenantRow;
    const byName = (prefix: string) =>
      emulator.control.customers().find((c) => c.companyName.startsWith(prefix))
        ?.tenantId as string;
    tenant.mixed = byName('Succession');
    tenant.partly = byName('Café Viennois');
    tenant.none = byName('Seulement Skype');
    const plan = await planConsolidationOf(
      t,
      token,
      [fr],
      target,
      Object.values(tenant).map((customerTenantId) => ({
        sourceTenantId: fr.tenantId,
        customerTenantId,
      })),
    );
    expect(plan.userErrors).toEqual([]);
    id = plan.id;
  }, 120_000);

  afterAll(async () => {
    await t.close();
  });

  it('plans the successor per item with the license-reassignment warning, and blocks only the item with none', async () => {
    const s = await state();
    expect(customerOf(s, 'mixed')?.state).toBe('PLANNED');
    expect(itemOf(s, 'mixed', E3)).toMatchObject({
      status: 'PENDING',
      proposedOfferId: null,
      successorReason: null,
    });
    const bp = itemOf(s, 'mixed', O365_BUSINESS_PREMIUM);
    expect(bp).toMatchObject({
      kind: 'LICENSE_REPROVISION',
      status: 'PENDING',
      proposedOfferId: M365_BUSINESS_STANDARD,
      proposedOfferName: 'Microsoft 365 Business Standard',
    });
    expect(bp?.successorReason).toMatch(/no longer available/);
    expect(bp?.successorReason).toMatch(/7 users' licenses must be reassigned/);
    expect(bp?.successorReason).toMatch(/R-CHN-6/);
    expect(itemOf(s, 'mixed', CRM_PRO)?.proposedOfferId).toBe(D365_SALES);

    // Only the Skype subscription is blocked; the customer's E3 moves.
    expect(customerOf(s, 'partly')?.state).toBe('PLANNED');
    const bc = itemOf(s, 'partly', SKYPE_PLAN2);
    expect(bc?.status).toBe('BLOCKED');
    expect(itemOf(s, 'partly', E3)?.status).toBe('PENDING');
    const itemBlocker = s.blockers.find((b) => b.subject === bc?.source.subscriptionId);
    expect(itemBlocker).toMatchObject({
      code: 'OFFER_NOT_AVAILABLE',
      customer: { tenantId: tenant.partly },
    });
    expect(itemBlocker?.message).toMatch(/R-CHN-6/);
    // No blocker names the customer as a whole for a single offer.
    expect(s.blockers.filter((b) => b.customer?.tenantId === tenant.partly && !b.subject)).toEqual(
      [],
    );
    expect(s.blockers.filter((b) => b.customer?.tenantId === tenant.mixed)).toEqual([]);
    // A customer whose only subscription has no successor has nothing to move.
    expect(customerOf(s, 'none')?.state).toBe('BLOCKED');
    expect(
      s.blockers.find((b) => b.customer?.tenantId === tenant.none && b.code === 'NOTHING_TO_MOVE'),
    ).toBeDefined();
  });

  it('the plan export (CSV and XLSX) carries the proposed successor and its warning', async () => {
    for (const format of ['CSV', 'XLSX'] as const) {
      const res = await t.gql<{
        exportConsolidationInventory: { userErrors: unknown[]; export: { url: string } | null };
      }>(
        'mutation($id: ID!, $f: ExportFormat!) { exportConsolidationInventory(input: { workflowId: $id, format: $f }) { userErrors { code } export { url } } }',
        { token, variables: { id, f: format } },
      );
      const file = res.body.data?.exportConsolidationInventory.export;
      expect(res.body.data?.exportConsolidationInventory.userErrors).toEqual([]);
      const body = Buffer.from(
        await (
          await fetch(file?.url as string, { headers: { authorization: `Bearer ${token}` } })
        ).arrayBuffer(),
      );
      let rows: string[][];
      if (format === 'XLSX') {
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.load(body as never);
        rows = [];
        workbook.worksheets[0]?.eachRow((row) => {
          rows.push((row.values as unknown[]).slice(1).map((v) => (v == null ? '' : String(v))));
        });
      } else {
        rows = parseCsv(body.toString('utf8').replace(/^\uFEFF/, ''));
      }
      const header = rows[0] ?? [];
      const at = (name: string) => header.indexOf(name);
      expect(at('Proposed offer id')).toBeGreaterThan(-1);
      expect(at('Successor note')).toBeGreaterThan(-1);
      const bpRow = rows.find((r) => r.includes(O365_BUSINESS_PREMIUM));
      expect(bpRow?.[at('Proposed offer id')]).toBe(M365_BUSINESS_STANDARD);
      expect(bpRow?.[at('Successor note')]).toMatch(
        /7 users' licenses must be reassigned.*R-CHN-6/,
      );
      const e3Row = rows.find((r) => r.includes(E3));
      expect(e3Row?.[at('Proposed offer id')] ?? '').toBe('');
    }
  });

  it('runs: the successors are ordered, the other items move, the item without one stays', async () => {
    expect((await startWorkflow(t, token, id)).userErrors).toEqual([]);
    await playUntil(t, emulator, async () =>
      ['COMPLETED', 'FAILED'].includes(await workflowStatus(t, token, id)),
    );
    const s = await state();
    expect(s.status).toBe('COMPLETED');
    for (const [offer, expected] of [
      [E3, E3],
      [O365_BUSINESS_PREMIUM, M365_BUSINESS_STANDARD],
      [CRM_PRO, D365_SALES],
    ] as const) {
      const item = itemOf(s, 'mixed', offer);
      expect(item?.status).toBe('DONE');
      expect(item?.target?.offerId.toUpperCase()).toBe(expected);
      expect(item?.target?.quantity).toBe(item?.seats);
      expect(item?.source.status).toBe('SUSPENDED');
    }
    expect(itemOf(s, 'partly', E3)?.status).toBe('DONE');
    const bc = itemOf(s, 'partly', SKYPE_PLAN2);
    expect(bc?.status).toBe('BLOCKED');
    expect(bc?.target).toBeNull();
    expect(bc?.source.status).toBe('ACTIVE');

    // Partner Center: the target holds exactly the re-ordered offers for the customer.
    const res = await emulator.fetch(`${PC_BASE_URL}/v1/customers/${tenant.mixed}/subscriptions`, {
      headers: { authorization: `Bearer ${emulator.tokenFor(target.tenantId)}` },
    });
    const offers = (
      (await res.json()) as { items: Array<{ offerId: string; quantity: number }> }
    ).items
      .map((x) => `${x.offerId.toUpperCase()} ${x.quantity}`)
      .sort();
    expect(offers).toEqual([`${E3} 10`, `${M365_BUSINESS_STANDARD} 7`, `${D365_SALES} 3`].sort());
    const reminders = s.events.edges.filter((e) => e.node.type === 'LICENSE_REASSIGNMENT_REQUIRED');
    expect(reminders).toHaveLength(2);
    expect(reminders.map((r) => r.node.message).join(' ')).toMatch(
      /reassign the 7 users' licenses/,
    );
  });
});
