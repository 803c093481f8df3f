import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CustomerInfo, PartnerInfo } from 'partner-center-emulator';
import { body, MODES, openHarness, type Collection, type Harness } from './harness.js';

type Json = Record<string, unknown>;

describe.each(MODES)('Partner Center emulator conformance (%s)', (mode) => {
  let h: Harness;
  let partners: PartnerInfo[];
  let customers: CustomerInfo[];
  const partner = (name: string): PartnerInfo => {
    const p = partners.find((x) => x.name === name);
    if (!p) {
      throw new Error(`no partner ${name}`);
    }
    return p;
  };
  const customer = (label: string): CustomerInfo => {
    const c = customers.find((x) => x.labels.includes(label) || x.companyName === label);
    if (!c) {
      throw new Error(`no customer ${label}`);
    }
    return c;
  };
  const json = (value: unknown, init: RequestInit = {}): RequestInit => ({
    ...init,
    body: JSON.stringify(value),
  });

  beforeAll(async () => {
    h = await openHarness(mode);
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(async () => {
    await h.control('/reset', json({ scenario: 'demo', seed: 1 }, { method: 'POST' }));
    partners = await body<PartnerInfo[]>(await h.control('/partners'));
    customers = await body<CustomerInfo[]>(await h.control('/customers'));
  });

  describe('control API and presets', () => {
    it('lists the demo partners with regional and central labels', () => {
      const regional = partners.filter((p) => p.labels.includes('regional'));
      const central = partners.filter((p) => p.labels.includes('central'));
      expect(new Set(regional.map((p) => p.country)).size).toBeGreaterThanOrEqual(3);
      expect(new Set(regional.map((p) => p.region))).toEqual(new Set(['europe']));
      expect(central).toHaveLength(1);
      expect(central[0]?.organizationId).toBe(regional[0]?.organizationId);
      expect(new Set(partners.map((p) => p.organizationId)).size).toBeGreaterThanOrEqual(2);
      expect(partners.some((p) => p.kind === 'indirect_reseller')).toBe(true);
    });

    it('lists customers with relationships and the edge-case labels', () => {
      const org1 = new Set(
        partners.filter((p) => p.organizationName === 'Contoso Cloud Group').map((p) => p.tenantId),
      );
      expect(
        customers.filter((c) => c.relationships.some((r) => org1.has(r.partnerTenantId))).length,
      ).toBeGreaterThanOrEqual(20);
      for (const label of [
        'no-mca',
        'out-of-region',
        'discontinued-offer',
        'two-resellers',
        'never-accepts',
        'billing-ownership-changed',
        'transfer-out',
      ]) {
        expect(customer(label)).toBeDefined();
      }
      const prospects = customers.filter((c) => c.labels.includes('prospect'));
      expect(prospects.some((c) => c.region === 'europe')).toBe(true);
      expect(prospects.some((c) => c.region !== 'europe')).toBe(true);
      expect(
        prospects.every((c) => c.relationships.every((r) => !org1.has(r.partnerTenantId))),
      ).toBe(true);
    });

    it('serves the whole catalog including discontinued offers with successors', async () => {
      const offers = await body<
        { id: string; discontinued: boolean; successorOfferId: string | null }[]
      >(await h.control('/offers'));
      expect(offers.some((o) => o.id === 'MS-AZR-0145P')).toBe(true);
      expect(offers.some((o) => o.id === 'DZH318Z0BPS6:0001:DZH318Z0BML6')).toBe(true);
      expect(offers.some((o) => o.discontinued && o.successorOfferId)).toBe(true);
    });

    it('reads and advances the clock, and round-trips the state', async () => {
      expect(await body(await h.control('/clock'))).toEqual({ now: '2026-01-05T08:00:00.000Z' });
      expect(
        await body(
          await h.control('/clock/advance', json({ duration: 'PT2H' }, { method: 'POST' })),
        ),
      ).toEqual({ now: '2026-01-05T10:00:00.000Z' });
      const state = await body<Json>(await h.control('/state'));
      await h.control('/reset', json({ scenario: 'empty' }, { method: 'POST' }));
      expect(await body<unknown[]>(await h.control('/customers'))).toHaveLength(0);
      expect(
        (await h.control('/state', { method: 'PUT', body: JSON.stringify(state) })).status,
      ).toBe(200);
      expect(await body<unknown[]>(await h.control('/customers'))).toHaveLength(customers.length);
      expect(await body(await h.control('/clock'))).toEqual({ now: '2026-01-05T10:00:00.000Z' });
    });

    it('keeps a request journal', async () => {
      const fr = partner('Contoso Cloud France');
      await h.pc(fr.tenantId, '/v1/customers?size=2', { headers: { 'MS-RequestId': 'journal-1' } });
      const journal = await body<
        { method: string; path: string; tenantId: string; status: number; requestId: string }[]
      >(await h.control('/requests'));
      expect(journal.at(-1)).toMatchObject({
        method: 'GET',
        path: '/v1/customers?size=2',
        tenantId: fr.tenantId,
        status: 200,
        requestId: 'journal-1',
      });
    });
  });

  describe('auth, errors and wire conventions', () => {
    it('answers 401 without a token and a Partner Center-shaped 404 for unknown paths', async () => {
      const noToken = await h.pc(null, '/v1/customers');
      expect(noToken.status).toBe(401);
      expect(await body(noToken)).toMatchObject({ code: 800001, source: 'PartnerFD' });
      const unknown = await h.pc(partner('Contoso Cloud France').tenantId, '/v1/nothing/here');
      expect(unknown.status).toBe(404);
      expect(await body(unknown)).toEqual({
        code: 1000,
        description: expect.any(String) as string,
        data: [],
        source: 'PartnerFD',
      });
    });

    it('echoes MS-CorrelationId and hides customers the partner does not serve', async () => {
      const fr = partner('Contoso Cloud France');
      const res = await h.pc(
        fr.tenantId,
        `/v1/customers/${customer('prospect-in-region').tenantId}`,
        { headers: { 'MS-CorrelationId': 'corr-1' } },
      );
      expect(res.status).toBe(404);
      expect(res.headers.get('MS-CorrelationId')).toBe('corr-1');
    });

    it('validates bodies with Partner Center 400s and reads PascalCase', async () => {
      const fr = partner('Contoso Cloud France');
      const alpine = customer('Alpine Foods SAS');
      const bad = await h.pc(
        fr.tenantId,
        `/v1/customers/${alpine.tenantId}/orders`,
        json({ LineItems: [{ OfferId: 'x' }] }, { method: 'POST' }),
      );
      expect(bad.status).toBe(400);
      expect(await body(bad)).toMatchObject({ code: 800002, source: 'PartnerFD' });
      const ok = await h.pc(
        fr.tenantId,
        `/v1/customers/${alpine.tenantId}/orders`,
        json(
          {
            LineItems: [
              { LineItemNumber: 0, OfferId: '91FD106F-4B2C-4938-95AC-F54F74E9A239', Quantity: 3 },
            ],
          },
          { method: 'POST' },
        ),
      );
      expect(ok.status).toBe(201);
    });
  });

  describe('customers', () => {
    it('pages across all customers with MS-ContinuationToken', async () => {
      const fr = partner('Contoso Cloud France');
      const seen: string[] = [];
      let res = await h.pc(fr.tenantId, '/v1/customers?size=3');
      for (let guard = 0; guard < 20; guard += 1) {
        const page = await body<Collection<{ id: string }>>(res);
        expect(page.attributes.objectType).toBe('Collection');
        seen.push(...page.items.map((i) => i.id));
        const next = page.links.next;
        if (!next) {
          break;
        }
        expect(next.uri).toContain('seekOperation=Next');
        res = await h.pc(fr.tenantId, `/v1${next.uri}`, {
          headers: { 'MS-ContinuationToken': next.headers[0]?.value ?? '' },
        });
      }
      const expected = customers.filter((c) =>
        c.relationships.some((r) => r.partnerTenantId === fr.tenantId),
      );
      expect(seen).toHaveLength(expected.length);
      expect(new Set(seen).size).toBe(seen.length);
    });

    it('searches by company name and domain prefix, case-insensitively', async () => {
      const fr = partner('Contoso Cloud France');
      const byName = await body<Collection<{ companyProfile: { companyName: string } }>>(
        await h.pc(
          fr.tenantId,
          `/v1/customers?size=10&filter=${encodeURIComponent(JSON.stringify({ Field: 'CompanyName', Value: 'alp', Operator: 'starts_with' }))}`,
        ),
      );
      expect(byName.items.map((i) => i.companyProfile.companyName)).toEqual(['Alpine Foods SAS']);
      const byDomain = await body<Collection>(
        await h.pc(
          fr.tenantId,
          `/v1/customers?filter=${encodeURIComponent(JSON.stringify({ Field: 'Domain', Value: 'BASTIDE', Operator: 'starts_with' }))}`,
        ),
      );
      expect(byDomain.items).toHaveLength(1);
    });

    it('gets a customer with billing profile and delegated access', async () => {
      const fr = partner('Contoso Cloud France');
      const c = await body<Json>(
        await h.pc(fr.tenantId, `/v1/customers/${customer('Alpine Foods SAS').tenantId}`),
      );
      expect(c).toMatchObject({
        relationshipToPartner: 'reseller',
        allowDelegatedAccess: true,
        attributes: { objectType: 'Customer' },
      });
      expect(c.billingProfile).toMatchObject({
        attributes: { objectType: 'CustomerBillingProfile' },
      });
    });

    it('returns the invitation URL with the partner id and lists indirect relationships', async () => {
      const eu = partner('Contoso Cloud Europe');
      const req = await body<{ url: string }>(
        await h.pc(eu.tenantId, '/v1/customers/relationshiprequests'),
      );
      expect(req.url).toContain(`partnerId=${eu.tenantId}`);
      const resellers = await body<Collection>(
        await h.pc(eu.tenantId, '/v1/relationships?relationship_type=IsIndirectResellerOf'),
      );
      expect(resellers.items).toHaveLength(2);
    });
  });

  describe('subscriptions', () => {
    it('lists and gets subscriptions and Azure entitlements', async () => {
      const fr = partner('Contoso Cloud France');
      const alpine = customer('Alpine Foods SAS');
      const list = await body<Collection<{ id: string; offerId: string; entitlementId?: string }>>(
        await h.pc(fr.tenantId, `/v1/customers/${alpine.tenantId}/subscriptions`),
      );
      const azure = list.items.find((s) => s.offerId === 'MS-AZR-0145P');
      expect(azure?.entitlementId).toBe(azure?.id);
      const one = await h.pc(
        fr.tenantId,
        `/v1/customers/${alpine.tenantId}/subscriptions/${azure?.id ?? ''}`,
      );
      expect(one.status).toBe(200);
      const ents = await body<Collection<{ id: string; status: string }>>(
        await h.pc(
          fr.tenantId,
          `/v1/customers/${alpine.tenantId}/subscriptions/${azure?.id ?? ''}/azureEntitlements`,
        ),
      );
      expect(ents.items).toEqual([expect.objectContaining({ id: azure?.id, status: 'active' })]);
      const esterel = customer('billing-ownership-changed');
      const subs = await body<Collection<{ id: string; offerId: string; entitlementId?: string }>>(
        await h.pc(fr.tenantId, `/v1/customers/${esterel.tenantId}/subscriptions`),
      );
      const moved = subs.items.find((s) => s.offerId === 'MS-AZR-0145P');
      expect(moved?.entitlementId).not.toBe(moved?.id);
      expect(
        (
          await h.pc(
            fr.tenantId,
            `/v1/customers/${alpine.tenantId}/subscriptions/00000000-0000-0000-0000-000000000000`,
          )
        ).status,
      ).toBe(404);
    });

    it('patches quantity and status with etags and enforces the rules', async () => {
      const fr = partner('Contoso Cloud France');
      const alpine = customer('Alpine Foods SAS');
      const list = await body<
        Collection<Json & { id: string; offerId: string; attributes: { etag: string } }>
      >(await h.pc(fr.tenantId, `/v1/customers/${alpine.tenantId}/subscriptions`));
      const sub = list.items.find((s) => s.offerId !== 'MS-AZR-0145P');
      const path = `/v1/customers/${alpine.tenantId}/subscriptions/${sub?.id ?? ''}`;
      const etag = sub?.attributes.etag ?? '';
      const updated = await h.pc(
        fr.tenantId,
        path,
        json({ ...sub, quantity: 30 }, { method: 'PATCH', headers: { 'If-Match': etag } }),
      );
      expect(updated.status).toBe(200);
      expect(await body(updated)).toMatchObject({ quantity: 30 });
      const stale = await h.pc(
        fr.tenantId,
        path,
        json({ quantity: 31 }, { method: 'PATCH', headers: { 'If-Match': etag } }),
      );
      expect(stale.status).toBe(412);
      expect(await body(stale)).toMatchObject({ code: 2055 });
      const tooMany = await h.pc(fr.tenantId, path, json({ quantity: 0 }, { method: 'PATCH' }));
      expect(await body(tooMany)).toMatchObject({ code: 2002 });
      const suspended = await body(
        await h.pc(fr.tenantId, path, json({ Status: 'Suspended' }, { method: 'PATCH' })),
      );
      expect(suspended).toMatchObject({ status: 'suspended' });
      expect(
        await body(await h.pc(fr.tenantId, path, json({ status: 'active' }, { method: 'PATCH' }))),
      ).toMatchObject({ status: 'active' });
    });

    it('refuses to update a deleted subscription (2011)', async () => {
      const fr = partner('Contoso Cloud France');
      const alpine = customer('Alpine Foods SAS');
      const order = await body<{ lineItems: { subscriptionId: string }[] }>(
        await h.pc(
          fr.tenantId,
          `/v1/customers/${alpine.tenantId}/orders`,
          json(
            {
              lineItems: [
                { offerId: 'CFQ7TTC0LF8Q:0001:CFQ7TTC0K39X', quantity: 2, termDuration: 'P1Y' },
              ],
              billingCycle: 'monthly',
            },
            { method: 'POST' },
          ),
        ),
      );
      const path = `/v1/customers/${alpine.tenantId}/subscriptions/${order.lineItems[0]?.subscriptionId ?? ''}`;
      expect(
        await body(await h.pc(fr.tenantId, path, json({ status: 'deleted' }, { method: 'PATCH' }))),
      ).toMatchObject({ status: 'deleted' });
      const again = await h.pc(fr.tenantId, path, json({ quantity: 3 }, { method: 'PATCH' }));
      expect(again.status).toBe(400);
      expect(await body(again)).toMatchObject({ code: 2011 });
    });
  });

  describe('agreements, offers and orders', () => {
    it('serves MCA metadata, confirms an agreement once and blocks purchases without it', async () => {
      const fr = partner('Contoso Cloud France');
      const camargue = customer('no-mca');
      const meta = await body<Collection<{ templateId: string }>>(
        await h.pc(fr.tenantId, '/v1/agreements?agreementType=MicrosoftCustomerAgreement'),
      );
      const templateId = meta.items[0]?.templateId ?? '';
      const plan = await h.pc(
        fr.tenantId,
        `/v1/customers/${camargue.tenantId}/orders`,
        json(
          { lineItems: [{ offerId: 'CFQ7TTC0LF8Q:0001:CFQ7TTC0K39X', quantity: 1 }] },
          { method: 'POST' },
        ),
      );
      expect(plan.status).toBe(403);
      expect(await body(plan)).toMatchObject({ code: 13605 });
      const agreement = {
        primaryContact: { firstName: 'Ana', lastName: 'Ruiz', email: 'ana@camargue.example' },
        templateId,
        dateAgreed: '2026-01-05T00:00:00Z',
        type: 'MicrosoftCustomerAgreement',
      };
      const created = await h.pc(
        fr.tenantId,
        `/v1/customers/${camargue.tenantId}/agreements`,
        json(agreement, { method: 'POST' }),
      );
      expect(created.status).toBe(201);
      const dup = await h.pc(
        fr.tenantId,
        `/v1/customers/${camargue.tenantId}/agreements`,
        json(agreement, { method: 'POST' }),
      );
      expect(await body(dup)).toMatchObject({ code: 600061 });
      const list = await body<Collection>(
        await h.pc(
          fr.tenantId,
          `/v1/customers/${camargue.tenantId}/agreements?agreementType=MicrosoftCustomerAgreement`,
        ),
      );
      expect(list.items).toHaveLength(1);
    });

    it('lists offers per country with discontinued offers and successors', async () => {
      const fr = partner('Contoso Cloud France');
      const offers = await body<
        Collection<{ id: string; isAvailableForPurchase: boolean; upgradeTargetOffers: string[] }>
      >(await h.pc(fr.tenantId, '/v1/offers?country=FR&size=100'));
      expect(offers.items.some((o) => o.id === 'MS-AZR-0145P')).toBe(true);
      const discontinued = offers.items.find((o) => !o.isAvailableForPurchase);
      expect(discontinued?.upgradeTargetOffers.length).toBe(1);
      const ma = await body<Collection<{ id: string }>>(
        await h.pc(fr.tenantId, '/v1/offers?country=MA&size=100'),
      );
      expect(ma.items.length).toBeLessThan(offers.items.length);
      const plan = await body<Json>(
        await h.pc(fr.tenantId, '/v1/products/DZH318Z0BPS6/skus/0001?country=FR'),
      );
      expect(plan).toMatchObject({
        minimumQuantity: 1,
        maximumQuantity: 1,
        purchasePrerequisites: ['MicrosoftCustomerAgreement'],
      });
    });

    it('creates orders with subscriptions, provisioning status and MS-RequestId idempotency', async () => {
      const fr = partner('Contoso Cloud France');
      const alpine = customer('Alpine Foods SAS');
      const path = `/v1/customers/${alpine.tenantId}/orders`;
      const before = (
        await body<Collection>(
          await h.pc(fr.tenantId, `/v1/customers/${alpine.tenantId}/subscriptions`),
        )
      ).items.length;
      const init = json(
        {
          lineItems: [
            { lineItemNumber: 0, offerId: '796B6B5F-613C-4E24-A17C-EBA730D49C02', quantity: 5 },
          ],
        },
        { method: 'POST', headers: { 'MS-RequestId': 'order-once' } },
      );
      const first = await h.pc(fr.tenantId, path, init);
      expect(first.status).toBe(201);
      const order = await body<{
        id: string;
        status: string;
        lineItems: { subscriptionId: string }[];
      }>(first);
      expect(order.status).toBe('pending');
      const retry = await body<{ id: string }>(
        await h.pc(
          fr.tenantId,
          path,
          json(
            {
              lineItems: [
                { lineItemNumber: 0, offerId: '796B6B5F-613C-4E24-A17C-EBA730D49C02', quantity: 5 },
              ],
            },
            { method: 'POST', headers: { 'MS-RequestId': 'order-once' } },
          ),
        ),
      );
      expect(retry.id).toBe(order.id);
      const after = await body<Collection<{ id: string; status: string }>>(
        await h.pc(fr.tenantId, `/v1/customers/${alpine.tenantId}/subscriptions`),
      );
      expect(after.items.length).toBe(before + 1);
      expect(after.items.find((s) => s.id === order.lineItems[0]?.subscriptionId)?.status).toBe(
        'active',
      );
      const prov = await body<Collection<{ status: string }>>(
        await h.pc(fr.tenantId, `${path}/${order.id}/provisioningstatus`),
      );
      expect(prov.items[0]?.status).toBe('Fulfilled');
      const orders = await body<Collection<{ id: string }>>(await h.pc(fr.tenantId, path));
      expect(orders.items.some((o) => o.id === order.id)).toBe(true);
    });

    it('enforces purchase invariants', async () => {
      const fr = partner('Contoso Cloud France');
      const de = partner('Contoso Cloud Deutschland');
      const code = async (tenantId: string, customerId: string, line: Json): Promise<unknown> =>
        (
          await body(
            await h.pc(
              tenantId,
              `/v1/customers/${customerId}/orders`,
              json({ lineItems: [line] }, { method: 'POST' }),
            ),
          )
        ).code;
      const alpine = customer('Alpine Foods SAS').tenantId;
      expect(await code(fr.tenantId, alpine, { offerId: 'nope', quantity: 1 })).toBe(800004);
      expect(
        await code(fr.tenantId, alpine, { offerId: 'office365-business-premium', quantity: 1 }),
      ).toBe(2091);
      expect(
        await code(fr.tenantId, customer('out-of-region').tenantId, {
          offerId: 'dynamics365-business-central-essentials',
          quantity: 1,
        }),
      ).toBe(800070);
      expect(
        await code(fr.tenantId, customer('out-of-region').tenantId, {
          offerId: 'office365-e3',
          quantity: 1,
        }),
      ).toBe(2030);
      expect(
        await code(fr.tenantId, customer('prospect-in-region').tenantId, {
          offerId: 'office365-e3',
          quantity: 1,
        }),
      ).toBe(20002);
      expect(
        await code(partner('Contoso Cloud Italia').tenantId, customer('azure-plan').tenantId, {
          offerId: 'MS-AZR-0145P',
          quantity: 1,
        }),
      ).toBe(2085);
      expect(
        await code(fr.tenantId, alpine, {
          offerId: 'office365-e3',
          quantity: 1,
          partnerIdOnRecord: '1234567',
        }),
      ).toBe(2072);
      const nordwind = partner('Nordwind IT Services GmbH');
      const hafen = customer('Hafen Logistik GmbH').tenantId;
      const ok = await h.pc(
        de.tenantId,
        `/v1/customers/${hafen}/orders`,
        json(
          {
            lineItems: [
              { offerId: 'office365-e1', quantity: 2, partnerIdOnRecord: nordwind.mpnId },
            ],
          },
          { method: 'POST' },
        ),
      );
      expect(await body(ok)).toMatchObject({ lineItems: [{ partnerIdOnRecord: nordwind.mpnId }] });
    });
  });

  describe('usage budget and audit records', () => {
    it('reads and updates the usage budget and audits every change', async () => {
      const it_ = partner('Contoso Cloud Italia');
      const torino = customer('azure-plan');
      const path = `/v1/customers/${torino.tenantId}/usagebudget`;
      expect(await body(await h.pc(it_.tenantId, path))).toMatchObject({
        amount: null,
        currencyCode: 'EUR',
      });
      expect(
        await body(await h.pc(it_.tenantId, path, json({ Amount: 1500 }, { method: 'PATCH' }))),
      ).toMatchObject({ amount: 1500 });
      const audit = await body<Collection<{ operationType: string; customerId: string }>>(
        await h.pc(it_.tenantId, '/v1/auditrecords?startDate=2026-01-05'),
      );
      expect(audit.items).toEqual([
        expect.objectContaining({
          operationType: 'update_customer_spending_budget',
          customerId: torino.tenantId,
        }),
      ]);
    });

    it('pages audit records, filters them and refuses dates past the 90-day retention', async () => {
      const fr = partner('Contoso Cloud France');
      const alpine = customer('Alpine Foods SAS');
      for (let i = 0; i < 3; i += 1) {
        await h.pc(
          fr.tenantId,
          `/v1/customers/${alpine.tenantId}/orders`,
          json({ lineItems: [{ offerId: 'office365-e1', quantity: 1 + i }] }, { method: 'POST' }),
        );
      }
      await h.pc(
        fr.tenantId,
        `/v1/customers/${customer('Bastide Architectes').tenantId}/usagebudget`,
        json({ amount: '10' }, { method: 'PATCH' }),
      );
      const ids: string[] = [];
      let res = await h.pc(fr.tenantId, '/v1/auditrecords?startDate=2026-01-01&size=2');
      for (let guard = 0; guard < 10; guard += 1) {
        const page = await body<Collection<{ id: string }>>(res);
        ids.push(...page.items.map((i) => i.id));
        const next = page.links.next;
        if (!next) {
          break;
        }
        res = await h.pc(fr.tenantId, `/v1${next.uri}`, {
          headers: { 'MS-ContinuationToken': next.headers[0]?.value ?? '' },
        });
      }
      expect(ids).toHaveLength(4);
      const filter = encodeURIComponent(
        JSON.stringify({ Field: 'ResourceType', Value: 'order', Operator: 'equals' }),
      );
      expect(
        (
          await body<Collection>(
            await h.pc(fr.tenantId, `/v1/auditrecords?startDate=2026-01-01&filter=${filter}`),
          )
        ).items,
      ).toHaveLength(3);
      const old = await h.pc(fr.tenantId, '/v1/auditrecords?startDate=2025-09-01');
      expect(old.status).toBe(400);
    });
  });

  describe('service requests', () => {
    it('creates, reads, lists, annotates and closes a service request', async () => {
      const fr = partner('Contoso Cloud France');
      const topics = await body<Collection<{ id: number; name: string }>>(
        await h.pc(fr.tenantId, '/v1/servicerequests/supporttopics'),
      );
      expect(topics.items.length).toBe(14);
      const created = await h.pc(
        fr.tenantId,
        '/v1/servicerequests/en-US',
        json(
          {
            Title: 'Invoice question',
            Description: 'Please explain line 3.',
            Severity: 'Minimal',
            SupportTopicId: topics.items[1]?.id,
          },
          { method: 'POST' },
        ),
      );
      expect(created.status).toBe(201);
      const sr = await body<{ id: string; status: string }>(created);
      expect(sr.status).toBe('none');
      const got = await body<Json>(await h.pc(fr.tenantId, `/v1/servicerequests/${sr.id}`));
      expect(got).toMatchObject({
        status: 'open',
        title: 'Invoice question',
        attributes: { objectType: 'ServiceRequest' },
      });
      const patched = await body<{ notes: { text: string }[]; fileLinks: { fileName: string }[] }>(
        await h.pc(
          fr.tenantId,
          `/v1/servicerequests/${sr.id}`,
          json(
            {
              NewNote: { Text: 'More detail' },
              FileLinks: [
                { FileName: 'invoice.pdf', FileLink: 'https://files.example/invoice.pdf' },
              ],
            },
            { method: 'PATCH' },
          ),
        ),
      );
      expect(patched.notes.map((n) => n.text)).toContain('More detail');
      expect(patched.fileLinks).toHaveLength(1);
      const open = await body<Collection>(
        await h.pc(
          fr.tenantId,
          `/v1/servicerequests?filter=${encodeURIComponent(JSON.stringify({ Field: 'Status', Value: 'Open', Operator: 'equals' }))}`,
        ),
      );
      expect(open.items).toHaveLength(1);
      const closed = await body<Json>(
        await h.pc(
          fr.tenantId,
          `/v1/servicerequests/${sr.id}`,
          json({ status: 'closed' }, { method: 'PATCH' }),
        ),
      );
      expect(closed.status).toBe('closed');
    });
  });

  describe('autopilot and clock', () => {
    it('customers accept invitations after their delay; the never-accepting one does not', async () => {
      const eu = partner('Contoso Cloud Europe');
      await h.pc(eu.tenantId, '/v1/customers/relationshiprequests');
      const before = (await body<Collection>(await h.pc(eu.tenantId, '/v1/customers?size=100')))
        .items.length;
      await h.control('/clock/advance', json({ duration: 'PT12H' }, { method: 'POST' }));
      const after = await body<Collection<{ id: string }>>(
        await h.pc(eu.tenantId, '/v1/customers?size=100'),
      );
      expect(after.items.length).toBeGreaterThan(before + 15);
      expect(after.items.some((c) => c.id === customer('never-accepts').tenantId)).toBe(false);
      const alpine = await body<Json>(
        await h.pc(eu.tenantId, `/v1/customers/${customer('Alpine Foods SAS').tenantId}`),
      );
      expect(alpine).toMatchObject({
        relationshipToPartner: 'reseller',
        allowDelegatedAccess: true,
      });
    });

    it('a customer signs the MCA after the partner asks, and explicit actor actions work', async () => {
      const de = partner('Contoso Cloud Deutschland');
      const isar = customer('mca-pending');
      const status = await body<{ isSigned: boolean }>(
        await h.pc(
          de.tenantId,
          `/v1/customers/${isar.tenantId}/directSignedMicrosoftCustomerAgreementStatus`,
        ),
      );
      expect(status.isSigned).toBe(false);
      await h.control('/clock/advance', json({ duration: 'P2D' }, { method: 'POST' }));
      expect(
        (
          await body<{ isSigned: boolean }>(
            await h.pc(
              de.tenantId,
              `/v1/customers/${isar.tenantId}/directSignedMicrosoftCustomerAgreementStatus`,
            ),
          )
        ).isSigned,
      ).toBe(true);
      const flandres = customer('never-accepts');
      const eu = partner('Contoso Cloud Europe');
      expect(
        await body(
          await h.control(
            `/customers/${flandres.tenantId}/accept-relationship`,
            json({ partnerTenantId: eu.tenantId }, { method: 'POST' }),
          ),
        ),
      ).toEqual({ accepted: true });
      expect((await h.pc(eu.tenantId, `/v1/customers/${flandres.tenantId}`)).status).toBe(200);
      expect(
        await body(
          await h.control(`/customers/${customer('no-mca').tenantId}/sign-mca`, { method: 'POST' }),
        ),
      ).toEqual({ signed: true });
    });

    it('support migrates the Azure subscriptions named in a consolidation ticket', async () => {
      const eu = partner('Contoso Cloud Europe');
      const fr = partner('Contoso Cloud France');
      const alpine = customer('Alpine Foods SAS');
      const source = (
        await body<Collection<{ id: string; offerId: string; entitlementId: string }>>(
          await h.pc(fr.tenantId, `/v1/customers/${alpine.tenantId}/subscriptions`),
        )
      ).items.find((s) => s.offerId === 'MS-AZR-0145P');
      await h.control(
        `/customers/${alpine.tenantId}/accept-relationship`,
        json({ partnerTenantId: eu.tenantId }, { method: 'POST' }),
      );
      const sr = await body<{ id: string }>(
        await h.pc(
          eu.tenantId,
          '/v1/servicerequests/en-US',
          json(
            {
              title: 'Regional authorization consolidation: migrate Azure subscriptions',
              description: 'Customers ready: Alpine Foods SAS',
              severity: 'minimal',
              supportTopicId: '32444675',
            },
            { method: 'POST' },
          ),
        ),
      );
      await h.control('/clock/advance', json({ duration: 'P2D' }, { method: 'POST' }));
      const ticket = await body<{ status: string }>(
        await h.pc(eu.tenantId, `/v1/servicerequests/${sr.id}`),
      );
      expect(ticket.status).toBe('closed');
      const target = (
        await body<
          Collection<{ id: string; offerId: string; entitlementId: string; status: string }>
        >(await h.pc(eu.tenantId, `/v1/customers/${alpine.tenantId}/subscriptions`))
      ).items.find((s) => s.offerId === 'MS-AZR-0145P');
      expect(target).toMatchObject({ entitlementId: source?.entitlementId, status: 'active' });
      expect(target?.id).not.toBe(source?.id);
      const old = await body<{ status: string }>(
        await h.pc(
          fr.tenantId,
          `/v1/customers/${alpine.tenantId}/subscriptions/${source?.id ?? ''}`,
        ),
      );
      expect(old.status).toBe('suspended');
      const ents = await body<Collection<{ status: string }>>(
        await h.pc(
          fr.tenantId,
          `/v1/customers/${alpine.tenantId}/subscriptions/${source?.id ?? ''}/azureEntitlements`,
        ),
      );
      expect(ents.items[0]?.status).toBe('suspended');
    });

    it('a transfer ticket: the form is signed, attached, and support moves the subscription in business hours', async () => {
      const eu = partner('Contoso Cloud Europe');
      const fab = partner('Fabrikam Partners UK');
      const oak = customer('transfer-out');
      const source = (
        await body<Collection<{ id: string; offerId: string; entitlementId: string }>>(
          await h.pc(eu.tenantId, `/v1/customers/${oak.tenantId}/subscriptions`),
        )
      ).items.find((s) => s.offerId === 'MS-AZR-0145P');
      const sr = await body<{ id: string }>(
        await h.pc(
          eu.tenantId,
          '/v1/servicerequests/en-US',
          json(
            {
              title: 'Azure subscription transfer to another partner',
              description: `Subscription ${source?.entitlementId ?? ''} to partner ${fab.tenantId}. Problem type: Subscription management.`,
              severity: 'minimal',
              supportTopicId: '32444669',
            },
            { method: 'POST' },
          ),
        ),
      );
      await h.control('/clock/advance', json({ duration: 'P1D' }, { method: 'POST' }));
      const forms = await body<{ serviceRequestId: string; signedAt: string | null }[]>(
        await h.control('/transfer-forms'),
      );
      expect(forms.find((f) => f.serviceRequestId === sr.id)?.signedAt).not.toBeNull();
      await h.pc(
        eu.tenantId,
        `/v1/servicerequests/${sr.id}`,
        json(
          {
            fileLinks: [
              {
                fileName: 'CSP-Subscription-Transfer-form-signed.pdf',
                fileLink: 'https://files.example/form.pdf',
              },
            ],
          },
          { method: 'PATCH' },
        ),
      );
      await h.control('/clock/advance', json({ duration: 'PT4H' }, { method: 'POST' }));
      expect(
        (await body<{ status: string }>(await h.pc(eu.tenantId, `/v1/servicerequests/${sr.id}`)))
          .status,
      ).toBe('open');
      await h.control('/clock/advance', json({ duration: 'P3D' }, { method: 'POST' }));
      expect(
        (await body<{ status: string }>(await h.pc(eu.tenantId, `/v1/servicerequests/${sr.id}`)))
          .status,
      ).toBe('closed');
      const moved = (
        await body<Collection<{ id: string; offerId: string; entitlementId: string }>>(
          await h.pc(fab.tenantId, `/v1/customers/${oak.tenantId}/subscriptions`),
        )
      ).items.find((s) => s.offerId === 'MS-AZR-0145P');
      expect(moved?.entitlementId).toBe(source?.entitlementId);
      expect(moved?.id).not.toBe(source?.id);
      // R-TRF-8: the old partner's role assignment is still there; the new partner removes it.
      const azureId = source?.entitlementId ?? '';
      const roles = await body<{ value: { name: string; properties: { principalId: string } }[] }>(
        await h.arm(
          fab.tenantId,
          `/subscriptions/${azureId}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01`,
        ),
      );
      const old = roles.value.find((r) => r.properties.principalId === eu.adminAgentsGroupId);
      expect(old).toBeDefined();
      const del = await h.arm(
        fab.tenantId,
        `/subscriptions/${azureId}/providers/Microsoft.Authorization/roleAssignments/${old?.name ?? ''}?api-version=2022-04-01`,
        { method: 'DELETE' },
      );
      expect(del.status).toBe(200);
      const after = await body<{ value: unknown[] }>(
        await h.arm(
          fab.tenantId,
          `/subscriptions/${azureId}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01`,
        ),
      );
      expect(after.value).toHaveLength(0);
      expect(
        (
          await h.arm(
            partner('Contoso Cloud Italia').tenantId,
            `/subscriptions/${azureId}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01`,
          )
        ).status,
      ).toBe(403);
    });

    it('a transfer ticket with the signed form attached at once: support reads the form and moves the subscription on its first answer', async () => {
      const eu = partner('Contoso Cloud Europe');
      const fab = partner('Fabrikam Partners UK');
      const oak = customer('transfer-out');
      const source = (
        await body<Collection<{ id: string; offerId: string; entitlementId: string }>>(
          await h.pc(eu.tenantId, `/v1/customers/${oak.tenantId}/subscriptions`),
        )
      ).items.find((s) => s.offerId === 'MS-AZR-0145P');
      const open = async (admins: string) =>
        body<{ id: string }>(
          await h.pc(
            eu.tenantId,
            '/v1/servicerequests/en-US',
            json(
              {
                title: `Azure subscription transfer ${source?.entitlementId ?? ''}`,
                description: `Transfer Azure subscription ${source?.entitlementId ?? ''} to partner ${fab.tenantId}. ${admins}`,
                severity: 'minimal',
                supportTopicId: '32444669',
              },
              { method: 'POST' },
            ),
          ),
        );
      const attach = (id: string, fileName: string) =>
        h.pc(
          eu.tenantId,
          `/v1/servicerequests/${id}`,
          json(
            {
              newNote: { text: `Attached ${fileName}.` },
              fileLinks: [{ fileName, fileLink: 'https://files.example/form.pdf' }],
            },
            { method: 'PATCH' },
          ),
        );
      const status = async (id: string) =>
        body<{ status: string; notes: { createdByName: string; text: string }[] }>(
          await h.pc(eu.tenantId, `/v1/servicerequests/${id}`),
        );
      // Only one partner administrator named on the first ticket: the form read from it fails R-TRF-7.
      const oneAdmin = await open('Partner administrator: Aoife Byrne <aoife@contoso.example>.');
      expect((await attach(oneAdmin.id, 'CSP-Subscription-Transfer-Form.pdf')).status).toBe(200);
      const sr = await open(
        'Partner administrators: Aoife Byrne <aoife@contoso.example> and Tom Walsh <tom@fabrikam.example>.',
      );
      expect((await attach(sr.id, 'CSP-Subscription-Transfer-Form-1a2b3c4d.pdf')).status).toBe(200);
      const forms = await body<
        {
          serviceRequestId: string;
          signatures: Record<string, boolean>;
          partnerAdministrators: string[];
          attached: boolean;
        }[]
      >(await h.control('/transfer-forms'));
      expect(forms.find((f) => f.serviceRequestId === sr.id)).toMatchObject({
        attached: true,
        signatures: { currentPartner: true, customer: true, newPartner: true },
        partnerAdministrators: ['aoife@contoso.example', 'tom@fabrikam.example'],
      });
      // Monday 08:00 + 8 business hours (Ireland) = Monday 17:00, long before the customer's
      // autopilot would have signed its own copy (24 h).
      await h.control('/clock/advance', json({ duration: 'PT8H' }, { method: 'POST' }));
      expect((await status(sr.id)).status).toBe('open');
      await h.control('/clock/advance', json({ duration: 'PT1H' }, { method: 'POST' }));
      const refused = await status(oneAdmin.id);
      expect(refused.status).toBe('attention_needed');
      expect(refused.notes.at(-1)?.text).toContain('two partner administrators');
      expect(refused.notes.at(-1)?.text).not.toContain('missing signatures');
      const done = await status(sr.id);
      expect(done.status).toBe('closed');
      expect(done.notes.filter((n) => n.createdByName === 'Microsoft Support')).toHaveLength(1);
      expect(done.notes.at(-1)?.text).toContain('Transfer completed');
      const moved = (
        await body<Collection<{ id: string; offerId: string; entitlementId: string }>>(
          await h.pc(fab.tenantId, `/v1/customers/${oak.tenantId}/subscriptions`),
        )
      ).items.find((s) => s.offerId === 'MS-AZR-0145P');
      expect(moved?.entitlementId).toBe(source?.entitlementId);
    });

    it('a transfer ticket with another file attached and no signed form keeps waiting for signatures', async () => {
      const eu = partner('Contoso Cloud Europe');
      const fab = partner('Fabrikam Partners UK');
      const oak = customer('transfer-out');
      const source = (
        await body<Collection<{ offerId: string; entitlementId: string }>>(
          await h.pc(eu.tenantId, `/v1/customers/${oak.tenantId}/subscriptions`),
        )
      ).items.find((s) => s.offerId === 'MS-AZR-0145P');
      const sr = await body<{ id: string }>(
        await h.pc(
          eu.tenantId,
          '/v1/servicerequests/en-US',
          json(
            {
              title: 'Azure subscription transfer',
              description: `Transfer ${source?.entitlementId ?? ''} to ${fab.tenantId}. Admins a@contoso.example and b@fabrikam.example.`,
              severity: 'minimal',
              supportTopicId: '32444669',
            },
            { method: 'POST' },
          ),
        ),
      );
      await h.pc(
        eu.tenantId,
        `/v1/servicerequests/${sr.id}`,
        json(
          {
            fileLinks: [
              { fileName: 'transfer-request-letter.pdf', fileLink: 'https://x.example/l' },
            ],
          },
          { method: 'PATCH' },
        ),
      );
      await h.control('/clock/advance', json({ duration: 'PT9H' }, { method: 'POST' }));
      const sr1 = await body<{ status: string; notes: { text: string }[] }>(
        await h.pc(eu.tenantId, `/v1/servicerequests/${sr.id}`),
      );
      expect(sr1.status).toBe('attention_needed');
      expect(sr1.notes.at(-1)?.text).toContain('missing signatures');
    });

    it('product upgrade: one Azure plan per reseller, entitlements re-parented, 0145P suspended', async () => {
      const de = partner('Contoso Cloud Deutschland');
      const bergmann = customer('two-resellers');
      const req = { customerId: bergmann.tenantId, productFamily: 'azure' };
      expect(
        await body(
          await h.pc(de.tenantId, '/v1/productUpgrades/eligibility', json(req, { method: 'POST' })),
        ),
      ).toMatchObject({ isEligible: true });
      const created = await h.pc(
        de.tenantId,
        '/v1/productupgrades',
        json({ CustomerId: bergmann.tenantId, ProductFamily: 'Azure' }, { method: 'POST' }),
      );
      expect(created.status).toBe(202);
      const location = created.headers.get('Location') ?? '';
      expect(location).toMatch(/^productUpgrades\//);
      const again = await h.pc(de.tenantId, '/v1/productupgrades', json(req, { method: 'POST' }));
      expect(await body(again)).toMatchObject({ code: 900109 });
      expect(
        await body(
          await h.pc(de.tenantId, `/v1/${location}/status`, json(req, { method: 'POST' })),
        ),
      ).toMatchObject({ status: 'InProgress' });
      await h.control('/clock/advance', json({ duration: 'PT1H' }, { method: 'POST' }));
      const status = await body<{
        status: string;
        lineItems: { targetProduct: { id: string }; status: string }[];
      }>(await h.pc(de.tenantId, `/v1/${location}/status`, json(req, { method: 'POST' })));
      expect(status.status).toBe('Completed');
      expect(new Set(status.lineItems.map((l) => l.targetProduct.id)).size).toBe(2);
      const subs = await body<
        Collection<{ id: string; offerId: string; status: string; suspensionReasons: string[] }>
      >(await h.pc(de.tenantId, `/v1/customers/${bergmann.tenantId}/subscriptions`));
      expect(
        subs.items
          .filter((s) => s.offerId === 'MS-AZR-0145P')
          .every((s) => s.status === 'suspended'),
      ).toBe(true);
      const plans = subs.items.filter((s) => s.offerId === 'DZH318Z0BPS6:0001:DZH318Z0BML6');
      expect(plans).toHaveLength(2);
      const ents = await body<Collection>(
        await h.pc(
          de.tenantId,
          `/v1/customers/${bergmann.tenantId}/subscriptions/${plans[0]?.id ?? ''}/azureEntitlements`,
        ),
      );
      expect(ents.items).toHaveLength(1);
      const legacy = await h.pc(
        de.tenantId,
        `/v1/customers/${bergmann.tenantId}/orders`,
        json({ lineItems: [{ offerId: 'MS-AZR-0145P', quantity: 1 }] }, { method: 'POST' }),
      );
      expect(await body(legacy)).toMatchObject({ code: 2085 });
      const blocked = await body<{ isEligible: boolean; reason: string }>(
        await h.pc(
          de.tenantId,
          '/v1/productUpgrades/eligibility',
          json(
            { customerId: customer('suspended-azure').tenantId, productFamily: 'azure' },
            { method: 'POST' },
          ),
        ),
      );
      expect(blocked).toMatchObject({
        isEligible: false,
        reason: expect.stringContaining('900105') as string,
      });
      const none = await h.pc(
        partner('Contoso Cloud France').tenantId,
        '/v1/productupgrades',
        json(
          { customerId: customer('Bastide Architectes').tenantId, productFamily: 'azure' },
          { method: 'POST' },
        ),
      );
      expect(await body(none)).toMatchObject({ code: 900108 });
    });
  });

  describe('faults and throttling', () => {
    const fr = (): string => partner('Contoso Cloud France').tenantId;

    it('injects Partner Center errors, 5xx and 429 with Retry-After on matching calls only', async () => {
      await h.control(
        '/faults',
        json(
          { method: 'GET', path: '/v1/customers*', status: 429, retryAfterSeconds: 7, times: 1 },
          { method: 'POST' },
        ),
      );
      const limited = await h.pc(fr(), '/v1/customers');
      expect(limited.status).toBe(429);
      expect(limited.headers.get('Retry-After')).toBe('7');
      expect((await h.pc(fr(), '/v1/customers')).status).toBe(200);
      const violations = await body<{ violations: unknown[] }>(await h.control('/throttling'));
      expect(violations.violations).toHaveLength(1);
      await h.control(
        '/faults',
        json(
          [
            { path: '/v1/offers', status: 503, nth: 2 },
            { path: '/v1/agreements', status: 403, code: 2006, tenantId: fr() },
          ],
          { method: 'POST' },
        ),
      );
      expect((await h.pc(fr(), '/v1/offers?country=FR')).status).toBe(200);
      expect((await h.pc(fr(), '/v1/offers?country=FR')).status).toBe(503);
      expect((await h.pc(fr(), '/v1/offers?country=FR')).status).toBe(200);
      expect(await body(await h.pc(fr(), '/v1/agreements'))).toMatchObject({
        code: 2006,
        source: 'PartnerFD',
      });
      expect((await h.pc(partner('Contoso Cloud Italia').tenantId, '/v1/agreements')).status).toBe(
        200,
      );
      expect((await h.control('/faults', { method: 'DELETE' })).status).toBe(204);
      expect((await h.pc(fr(), '/v1/agreements')).status).toBe(200);
    });

    it('resets connections, hangs, serves malformed JSON and adds latency', async () => {
      await h.control(
        '/faults',
        json(
          [
            { path: '/v1/customers', kind: 'reset', times: 1 },
            { path: '/v1/offers', kind: 'hang', hangMs: 50, times: 1 },
            { path: '/v1/agreements', kind: 'malformed', times: 1 },
            { path: '/v1/servicerequests/supporttopics', latencyMs: 60, times: 1 },
          ],
          { method: 'POST' },
        ),
      );
      await expect(h.pc(fr(), '/v1/customers')).rejects.toThrow();
      const hung = await h.pc(fr(), '/v1/offers?country=FR');
      expect(hung.status).toBe(504);
      const malformed = await h.pc(fr(), '/v1/agreements');
      await expect(malformed.json()).rejects.toThrow();
      const t0 = performance.now();
      const slow = await h.pc(fr(), '/v1/servicerequests/supporttopics');
      expect(slow.status).toBe(200);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(55);
    });

    it('probabilistic faults are deterministic for a seed', async () => {
      const run = async (): Promise<number[]> => {
        await h.control('/faults', { method: 'DELETE' });
        await h.control(
          '/faults',
          json(
            { path: '/v1/offercategories', status: 500, probability: 0.5, seed: 42 },
            { method: 'POST' },
          ),
        );
        const out: number[] = [];
        for (let i = 0; i < 8; i += 1) {
          out.push((await h.pc(fr(), '/v1/offercategories?country=FR')).status);
        }
        return out;
      };
      const a = await run();
      expect(a).toEqual(await run());
      expect(a).toContain(500);
      expect(a).toContain(200);
    });

    it('throttles per partner tenant with Retry-After and records early retries', async () => {
      await h.control('/throttling', {
        method: 'PUT',
        body: JSON.stringify({
          limits: { customers: { limit: 3, windowSeconds: 1, per: 'partner' } },
        }),
      });
      for (let i = 0; i < 3; i += 1) {
        expect((await h.pc(fr(), '/v1/customers?size=1')).status).toBe(200);
      }
      const throttled = await h.pc(fr(), '/v1/customers?size=1');
      expect(throttled.status).toBe(429);
      expect(Number(throttled.headers.get('Retry-After'))).toBeGreaterThanOrEqual(1);
      expect(
        (await h.pc(partner('Contoso Cloud Italia').tenantId, '/v1/customers?size=1')).status,
      ).toBe(200);
      expect((await h.pc(fr(), '/v1/customers?size=1')).status).toBe(429);
      const report = await body<{ violations: { tenantId: string }[] }>(
        await h.control('/throttling'),
      );
      expect(report.violations.map((v) => v.tenantId)).toContain(fr());
      await new Promise((r) => setTimeout(r, 1100));
      expect((await h.pc(fr(), '/v1/customers?size=1')).status).toBe(200);
    });
  });
});
