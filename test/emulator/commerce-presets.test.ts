import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerInfo } from 'partner-center-emulator';
import { advance, resetWorld, send, subscriptions, type Sub } from './commerce-helpers.js';
import { body, MODES, openHarness, type Harness } from './harness.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-01-05T08:00:00Z');

/** Every subscription of every customer, read through Partner Center as each related partner. */
async function allSubscriptions(h: Harness): Promise<{ partner: string; sub: Sub }[]> {
  const customers = await body<CustomerInfo[]>(await h.control('/customers'));
  const out: { partner: string; sub: Sub }[] = [];
  for (const c of customers) {
    for (const r of c.relationships.filter((x) => x.relationship === 'reseller')) {
      for (const sub of await subscriptions(h, r.partnerTenantId, c.tenantId)) {
        out.push({ partner: r.partnerTenantId, sub });
      }
    }
  }
  return out;
}

function addMonths(iso: string, months: number): number {
  const d = new Date(iso);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.getTime();
}

describe.each(MODES)('commerce presets and scenario fields (%s)', (mode) => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(mode);
  });
  afterAll(async () => {
    await h.close();
  });

  it('demo-today: regional tenants hold mostly new-commerce licenses beside some legacy ones, all with sensible terms', async () => {
    const w = await resetWorld(h, 'demo-today');
    const regional = new Set(
      [
        'Contoso Cloud France',
        'Contoso Cloud Deutschland',
        'Contoso Cloud España',
        'Contoso Cloud Italia',
      ].map((n) => w.partner(n).tenantId),
    );
    const all = await allSubscriptions(h);
    const licences = all.filter(
      (x) => regional.has(x.partner) && x.sub.productType.id === 'OnlineServices',
    );
    const nce = licences.filter((x) => x.sub.offerId.includes(':'));
    expect(nce.length).toBeGreaterThan(licences.length / 2);
    expect(licences.length - nce.length).toBeGreaterThan(0);
    const terms = new Set(nce.map((x) => x.sub.termDuration));
    expect(terms).toEqual(new Set(['P1M', 'P1Y', 'P3Y']));

    for (const { sub } of all) {
      const start = Date.parse(sub.effectiveStartDate);
      const end = Date.parse(sub.commitmentEndDate);
      if (sub.productType.id === 'Azure') {
        expect(sub.commitmentEndDate).toBe('9999-12-10T00:00:00Z');
        continue;
      }
      expect(['monthly', 'annual']).toContain(sub.billingCycle);
      expect(start).toBeLessThanOrEqual(NOW);
      expect(end).toBeGreaterThan(NOW - DAY);
      expect(sub.commitmentEndDate).toMatch(/T00:00:00Z$/);
      const months = { P1M: 1, P1Y: 12, P3Y: 36 }[sub.termDuration ?? ''] ?? 0;
      expect(months).toBeGreaterThan(0);
      const anniversary = new Date(addMonths(sub.effectiveStartDate, months))
        .toISOString()
        .slice(0, 10);
      if (sub.offerId.includes(':')) {
        // New commerce: ends the day before the anniversary; 7 days to cancel.
        expect(new Date(end + DAY).toISOString().slice(0, 10)).toBe(anniversary);
        expect(Date.parse(sub.cancellationAllowedUntilDate ?? '')).toBe(start + 7 * DAY);
      } else {
        expect(sub.termDuration).toBe('P1Y');
        expect(sub.commitmentEndDate.slice(0, 10)).toBe(anniversary);
        expect(sub.cancellationAllowedUntilDate).toBeUndefined();
      }
    }
    const transfers = await body<
      { customerTenantId: string; status: string; sourceAccepts: unknown }[]
    >(await h.control('/transfers'));
    expect(transfers).toEqual([
      expect.objectContaining({
        customerTenantId: w.customer('transfer-never-accepted').tenantId,
        status: 'Pending',
        sourceAccepts: { mode: 'never' },
      }),
    ]);
  });

  it('the default demo keeps its legacy licenses and has no transfers', async () => {
    await resetWorld(h, 'demo');
    const all = await allSubscriptions(h);
    expect(
      all.filter((x) => x.sub.productType.id === 'OnlineServices' && x.sub.offerId.includes(':')),
    ).toEqual([]);
    expect(
      all.every((x) => x.sub.productType.id !== 'OnlineServices' || x.sub.termDuration === 'P1Y'),
    ).toBe(true);
    expect(await body(await h.control('/transfers'))).toEqual([]);
    expect(await body(await h.control('/migrations'))).toEqual({ migrations: [], schedules: [] });
  });

  it('reads tenant transfer autopilot, pending transfers and term overrides from a scenario file', async () => {
    const w = await resetWorld(h, {
      name: 'commerce-file',
      organizations: [
        {
          key: 'a',
          name: 'Alpha Cloud',
          tenants: [
            { key: 'alpha', name: 'Alpha UK', country: 'GB', autopilot: { acceptTransfers: 5 } },
          ],
        },
        {
          key: 'b',
          name: 'Beta Cloud',
          tenants: [{ key: 'beta', name: 'Beta UK', country: 'GB' }],
        },
      ],
      customers: [
        {
          key: 'c1',
          companyName: 'Cobalt Ltd',
          country: 'GB',
          relationships: [{ partner: 'alpha' }, { partner: 'beta' }],
          subscriptions: [
            {
              partner: 'alpha',
              offer: 'office365-e5-nce',
              quantity: 7,
              termDuration: 'P3Y',
              billingCycle: 'annual',
              createdDaysAgo: 10,
              commitmentEndDate: '2028-12-25T00:00:00Z',
              cancellationAllowedUntilDate: null,
            },
          ],
        },
      ],
      transfers: [{ customer: 'c1', source: 'alpha', target: 'beta', createdDaysAgo: 0 }],
    });
    const alpha = w.partner('Alpha UK').tenantId;
    const beta = w.partner('Beta UK').tenantId;
    const c1 = w.customer('Cobalt Ltd').tenantId;
    const [sub] = await subscriptions(h, alpha, c1);
    expect(sub).toMatchObject({
      termDuration: 'P3Y',
      billingCycle: 'annual',
      commitmentEndDate: '2028-12-25T00:00:00Z',
      quantity: 7,
    });
    expect(sub?.cancellationAllowedUntilDate).toBeUndefined();
    const [t] = await body<{ id: string; status: string; transferType: number }[]>(
      await h.pc(beta, `/v1/customers/${c1}/transfers`),
    );
    expect(t).toMatchObject({ status: 'Pending', transferType: 5 });
    await advance(h, 'PT5H');
    expect(
      (
        await body<{ status: string }>(
          await h.pc(alpha, `/v1/customers/${c1}/transfers/${t?.id ?? ''}`),
        )
      ).status,
    ).toBe('InProgress');
    await advance(h, 'PT1H');
    const moved = (await subscriptions(h, beta, c1)).find((s) => s.transferId === t?.id);
    expect(moved).toMatchObject({
      termDuration: 'P3Y',
      commitmentEndDate: '2028-12-25T00:00:00Z',
      quantity: 7,
    });
  });

  it("large-today: every delegated-admin relationship has the transition's active MLT GDAP relationship; large keeps DAP only", async () => {
    const gdapOf = async (partner: string, customer: string) =>
      (
        await body<{
          value: Array<{ displayName: string; status: string; accessDetails: unknown }>;
        }>(
          await h.graph(
            partner,
            `/tenantRelationships/delegatedAdminRelationships?$filter=${encodeURIComponent(`customer/tenantId eq '${customer}'`)}`,
          ),
        )
      ).value;
    for (const scenario of ['large-today:3', 'large:3']) {
      await resetWorld(h, scenario);
      const customers = await body<CustomerInfo[]>(await h.control('/customers'));
      let checked = 0;
      for (const c of customers) {
        for (const r of c.relationships.filter((x) => x.delegatedAdmin)) {
          const rels = await gdapOf(r.partnerTenantId, c.tenantId);
          if (scenario === 'large:3') {
            expect(rels).toEqual([]);
          } else {
            expect(rels.map((x) => [x.displayName.startsWith('MLT_'), x.status])).toEqual([
              [true, 'active'],
            ]);
            // License Administrator: what requireGdap asks of orders and suspensions.
            expect(JSON.stringify(rels[0]?.accessDetails)).toContain(
              '4d6ac14f-3453-41d0-bef9-a3e0c569773a',
            );
          }
          checked += 1;
        }
      }
      // Three customers and the over-cap one (two relationships) in large-today.
      expect(checked).toBe(scenario === 'large:3' ? 3 : 5);
    }
  });

  it('sets who plays the source of one transfer through the control API', async () => {
    const w = await resetWorld(h, 'demo-today');
    const wessex = w.customer('transfer-never-accepted').tenantId;
    const [t] = await body<{ id: string }[]>(await h.control('/transfers'));
    const id = t?.id ?? '';
    const bad = await h.control(
      `/transfers/${id}/autopilot`,
      send({ sourceAccepts: 'sometimes' }, { method: 'PUT' }),
    );
    expect(bad.status).toBe(400);
    expect(
      (
        await h.control(
          '/transfers/00000000-0000-0000-0000-000000000000/autopilot',
          send({ sourceAccepts: 1 }, { method: 'PUT' }),
        )
      ).status,
    ).toBe(404);
    const set = await h.control(
      `/transfers/${id}/autopilot`,
      send({ sourceAccepts: { afterHours: 2 } }, { method: 'PUT' }),
    );
    expect(await body(set)).toMatchObject({ sourceAccepts: { mode: 'after', hours: 2 } });
    // Created 3 days ago: two hours after creation has passed, so it accepts on the next tick.
    await advance(h, 'PT1M');
    const eu = w.partner('Contoso Cloud Europe').tenantId;
    expect(
      (await body<{ status: string }>(await h.pc(eu, `/v1/customers/${wessex}/transfers/${id}`)))
        .status,
    ).toBe('InProgress');
  });

  it('leaves the other partner silent when the autopilot is off', async () => {
    const w = await resetWorld(h, 'demo-today');
    await h.control('/autopilot', send({ enabled: false }, { method: 'PUT' }));
    const thames = w.customer('transfer-in').tenantId;
    const eu = w.partner('Contoso Cloud Europe').tenantId;
    const created = await h.pc(
      eu,
      `/v1/customers/${thames}/transfers`,
      send(
        {
          sourcePartnerTenantId: w.partner('Fabrikam Partners UK').tenantId,
          sourcePartnerName: 'Fabrikam Partners UK',
          customerEmailId: 'it@thames.example',
          targetProductTypes: ['OnlineServicesNCE'],
          transferType: 5,
        },
        { method: 'POST' },
      ),
    );
    const t = await body<{ id: string }>(created);
    await advance(h, 'P2D');
    expect(
      (await body<{ status: string }>(await h.pc(eu, `/v1/customers/${thames}/transfers/${t.id}`)))
        .status,
    ).toBe('Pending');
  });

  it('offers the same operations on the typed control API', async () => {
    const w = await resetWorld(h, 'demo-today');
    const control = h.emulator.control;
    const [t] = control.transfers();
    expect(t).toMatchObject({ status: 'Pending', sourceAccepts: { mode: 'never' } });
    const fabrikam = w.partner('Fabrikam Partners UK').tenantId;
    expect(control.setPartnerTransferAutopilot(fabrikam.toUpperCase(), 'manual')).toEqual({
      partnerTenantId: fabrikam,
      acceptTransfers: { mode: 'manual' },
    });
    expect(() => control.setPartnerTransferAutopilot('nobody', 3)).toThrow(/not found/);
    expect(control.setTransferAutopilot(t?.id ?? '', 'default').sourceAccepts).toEqual({
      mode: 'default',
    });
    expect(control.acceptTransferAsSource(t?.id ?? '').status).toBe('InProgress');
    expect(() => control.acceptTransferAsSource(t?.id ?? '')).toThrow(/InProgress/);
    expect(control.migrations()).toEqual({ migrations: [], schedules: [] });
  });
});
