import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CustomerInfo, PartnerInfo } from 'partner-center-emulator';
import { body, MODES, openHarness, type Collection, type Harness } from './harness.js';

type Json = Record<string, unknown>;
interface PcError {
  code: number;
  description: string;
  data: unknown[];
  source: string;
}

const newCustomer = (domain: string, country = 'FR'): Json => ({
  enableGDAPByDefault: false,
  CompanyProfile: { Domain: domain },
  BillingProfile: {
    Culture: 'fr-FR',
    Email: `it@${domain}.example`,
    Language: 'fr',
    CompanyName: 'Nouvelle Société SARL',
    DefaultAddress: {
      Country: country,
      City: 'Lyon',
      AddressLine1: '1 rue de la République',
      PostalCode: '69001',
      FirstName: 'Léa',
      LastName: 'Bernard',
      PhoneNumber: '+33400000000',
    },
  },
});

/** At most two decimals, i.e. an exact amount in cents printed as a JSON number. */
const isMoney = (v: unknown): boolean =>
  typeof v === 'number' &&
  Number.isFinite(v) &&
  Math.round(v * 100) === Number((v * 100).toFixed(6));

describe.each(MODES)('Routes outside clients call (%s)', (mode) => {
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
  const customer = (name: string): CustomerInfo => {
    const c = customers.find((x) => x.companyName === name || x.labels.includes(name));
    if (!c) {
      throw new Error(`no customer ${name}`);
    }
    return c;
  };
  const send = (method: string, value?: unknown, headers: Record<string, string> = {}) => ({
    method,
    headers,
    ...(value === undefined ? {} : { body: JSON.stringify(value) }),
  });
  const auditOps = async (tenantId: string, startDate = '2026-01-05'): Promise<string[]> =>
    (
      await body<Collection<{ operationType: string }>>(
        await h.pc(tenantId, `/v1/auditrecords?startDate=${startDate}`),
      )
    ).items.map((a) => a.operationType);

  beforeAll(async () => {
    h = await openHarness(mode);
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(async () => {
    await h.control('/reset', send('POST', { scenario: 'demo', seed: 1 }));
    partners = await body<PartnerInfo[]>(await h.control('/partners'));
    customers = await body<CustomerInfo[]>(await h.control('/customers'));
  });

  it('creates a customer with credentials, an admin user and a reseller relationship; a taken domain is 409', async () => {
    const fr = partner('Contoso Cloud France').tenantId;
    const res = await h.pc(
      fr,
      '/v1/customers',
      send('POST', newCustomer('nouvellesociete'), { 'MS-RequestId': 'create-1' }),
    );
    expect(res.status).toBe(201);
    const created = await body<Json & { id: string }>(res);
    expect(created).toMatchObject({
      companyProfile: {
        domain: 'nouvellesociete.onmicrosoft.com',
        companyName: 'Nouvelle Société SARL',
      },
      billingProfile: {
        email: 'it@nouvellesociete.example',
        defaultAddress: { country: 'FR', city: 'Lyon' },
      },
      relationshipToPartner: 'reseller',
      allowDelegatedAccess: false,
      userCredentials: { userName: 'admin', password: expect.any(String) as string },
      attributes: { objectType: 'Customer' },
    });
    const replay = await h.pc(
      fr,
      '/v1/customers',
      send('POST', newCustomer('nouvellesociete'), { 'MS-RequestId': 'create-1' }),
    );
    expect(replay.status).toBe(201);
    expect((await body<Json>(replay)).id).toBe(created.id);
    expect((await h.pc(fr, `/v1/customers/${created.id}`)).status).toBe(200);
    const users = await body<Collection<Json>>(await h.pc(fr, `/v1/customers/${created.id}/users`));
    expect(users.items).toEqual([
      expect.objectContaining({
        userPrincipalName: 'admin@nouvellesociete.onmicrosoft.com',
        state: 'active',
      }),
    ]);
    expect(await auditOps(fr)).toContain('add_customer');

    const taken = await h.pc(
      fr,
      '/v1/customers',
      send('POST', newCustomer('nouvellesociete.onmicrosoft.com')),
    );
    expect(taken.status).toBe(409);
    expect(await body<PcError>(taken)).toMatchObject({ code: 800007, source: 'PartnerFD' });
    expect(
      (await h.pc(fr, '/v1/domains/nouvellesociete.onmicrosoft.com', { method: 'HEAD' })).status,
    ).toBe(200);
    expect((await h.pc(fr, '/v1/domains/free-name', { method: 'HEAD' })).status).toBe(404);

    const before = (await body<unknown[]>(await h.control('/customers'))).length;
    const bad = await h.pc(fr, '/v1/customers', send('POST', { CompanyProfile: { Domain: 'x1' } }));
    expect(bad.status).toBe(400);
    expect(await body<PcError>(bad)).toMatchObject({ code: 800002, source: 'PartnerFD' });
    const badDomain = await h.pc(fr, '/v1/customers', send('POST', newCustomer('not a domain!')));
    expect(badDomain.status).toBe(400);
    const outOfRegion = await h.pc(fr, '/v1/customers', send('POST', newCustomer('faraway', 'CA')));
    expect(outOfRegion.status).toBe(403);
    expect(await body<PcError>(outOfRegion)).toMatchObject({ code: 2030 });
    expect((await body<unknown[]>(await h.control('/customers'))).length).toBe(before);
  });

  it('creates a customer with a default GDAP relationship when enableGDAPByDefault is set', async () => {
    const fr = partner('Contoso Cloud France').tenantId;
    const created = await body<{ id: string }>(
      await h.pc(
        fr,
        '/v1/customers',
        send('POST', { ...newCustomer('gdapdefault'), enableGDAPByDefault: true }),
      ),
    );
    const rels = await body<{ value: Json[] }>(
      await h.graph(
        fr,
        `/tenantRelationships/delegatedAdminRelationships?$filter=customer/tenantId eq '${created.id}'`,
      ),
    );
    expect(rels.value).toEqual([expect.objectContaining({ status: 'active', duration: 'P730D' })]);
  });

  it('lists users in seek pages and reconciles subscribed SKUs with seats and assigned licences', async () => {
    const fr = partner('Contoso Cloud France').tenantId;
    const alpine = customer('Alpine Foods SAS').tenantId;
    const ids: string[] = [];
    let res = await h.pc(fr, `/v1/customers/${alpine}/users?size=5`);
    for (let guard = 0; guard < 20; guard += 1) {
      const page = await body<Collection<{ id: string; attributes: { objectType: string } }>>(res);
      expect(page.items.length).toBeLessThanOrEqual(5);
      expect(page.items.every((u) => u.attributes.objectType === 'CustomerUser')).toBe(true);
      ids.push(...page.items.map((u) => u.id));
      const next = page.links.next;
      if (!next) {
        break;
      }
      res = await h.pc(fr, `/v1${next.uri}`, {
        headers: { 'MS-ContinuationToken': next.headers[0]?.value ?? '' },
      });
    }
    expect(new Set(ids).size).toBe(ids.length);
    // Office 365 E3, 25 seats: 60–100 % consumed.
    expect(ids.length).toBeGreaterThanOrEqual(15);
    expect(ids.length).toBeLessThanOrEqual(25);
    const skus = await body<Collection<Json & { productSku: { id: string; name: string } }>>(
      await h.pc(fr, `/v1/customers/${alpine}/subscribedskus`),
    );
    const e3 = skus.items.find((s) => s.productSku.name.includes('E3'));
    expect(e3).toMatchObject({
      activeUnits: 25,
      totalUnits: 25,
      suspendedUnits: 0,
      capabilityStatus: 'Enabled',
    });
    expect(Number(e3?.consumedUnits) + Number(e3?.availableUnits)).toBe(25);
    expect(e3?.consumedUnits).toBe(ids.length);
    expect(
      skus.items.every((s) => s.attributes && !String(s.productSku.name).includes('Azure')),
    ).toBe(true);
    // A seat change shows at once in activeUnits.
    const subs = await body<Collection<{ id: string; offerName: string }>>(
      await h.pc(fr, `/v1/customers/${alpine}/subscriptions`),
    );
    const e3Sub = subs.items.find((s) => s.offerName.includes('E3'));
    await h.pc(
      fr,
      `/v1/customers/${alpine}/subscriptions/${String(e3Sub?.id)}`,
      send('PATCH', { quantity: 30 }),
    );
    const after = await body<Collection<Json & { productSku: { name: string } }>>(
      await h.pc(fr, `/v1/customers/${alpine}/subscribedskus`),
    );
    expect(after.items.find((s) => s.productSku.name.includes('E3'))).toMatchObject({
      activeUnits: 30,
    });
    const foreign = await h.pc(
      fr,
      `/v1/customers/${customer('prospect-in-region').tenantId}/users`,
    );
    expect(foreign.status).toBe(404);
    expect(await body<PcError>(foreign)).toMatchObject({ code: 1000, source: 'PartnerFD' });
  });

  it('invoices orders and running subscriptions on the clock, with line items that reconcile', async () => {
    const fr = partner('Contoso Cloud France').tenantId;
    const alpine = customer('Alpine Foods SAS').tenantId;
    const order = await h.pc(
      fr,
      `/v1/customers/${alpine}/orders`,
      send('POST', {
        billingCycle: 'monthly',
        lineItems: [{ offerId: 'office365-e1', quantity: 7 }],
      }),
    );
    expect(order.status).toBe(201);
    const orderId = String((await body<Json>(order)).id);
    await h.control('/clock', send('PUT', { now: '2026-02-01T06:00:00Z' }));
    const list = await body<
      Collection<Json & { id: string; totalCharges: number; billingPeriodStartDate: string }>
    >(await h.pc(fr, '/v1/invoices'));
    const january = list.items.find((i) => i.billingPeriodStartDate === '2026-01-01T00:00:00Z');
    expect(january).toMatchObject({
      invoiceDate: '2026-02-01T00:00:00Z',
      billingPeriodEndDate: '2026-01-31T00:00:00Z',
      currencyCode: 'EUR',
      attributes: { objectType: 'Invoice' },
    });
    expect(isMoney(january?.totalCharges)).toBe(true);
    const one = await body<Json>(await h.pc(fr, `/v1/invoices/${String(january?.id)}`));
    expect(one.totalCharges).toBe(january?.totalCharges);

    const items: (Json & {
      amount: number;
      quantity: number;
      unitPrice: number;
      orderId: string;
      chargeType: string;
    })[] = [];
    let res = await h.pc(
      fr,
      `/v1/invoices/${String(january?.id)}/lineitems?provider=office&invoicelineitemtype=billinglineitems&size=2`,
    );
    for (let guard = 0; guard < 200; guard += 1) {
      const page = await body<Collection<(typeof items)[number]>>(res);
      items.push(...page.items);
      const next = page.links.next;
      if (!next) {
        break;
      }
      res = await h.pc(fr, `/v1${next.uri}`, {
        headers: { 'MS-ContinuationToken': next.headers[0]?.value ?? '' },
      });
    }
    const bought = items.find((li) => li.orderId === orderId);
    expect(bought).toMatchObject({
      chargeType: 'new',
      quantity: 7,
      unitPrice: 10,
      amount: 70,
      customerId: alpine,
    });
    for (const li of items) {
      expect(isMoney(li.amount) && isMoney(li.unitPrice)).toBe(true);
    }
    const cents = items.reduce((s, li) => s + Math.round(li.amount * 100), 0);
    expect(cents).toBe(Math.round(Number(january?.totalCharges) * 100));
    const legacyPath = await body<Collection>(
      await h.pc(fr, `/v1/invoices/${String(january?.id)}/lineitems/office/billinglineitems`),
    );
    expect(legacyPath.items).toHaveLength(items.length);

    // Frozen once issued: a later seat change does not rewrite January.
    const subs = await body<Collection<{ id: string; offerId: string }>>(
      await h.pc(fr, `/v1/customers/${alpine}/subscriptions`),
    );
    const e1 = subs.items.find(
      (s) => s.offerId.toLowerCase() === String(bought?.offerId).toLowerCase(),
    );
    await h.pc(
      fr,
      `/v1/customers/${alpine}/subscriptions/${String(e1?.id)}`,
      send('PATCH', { quantity: 9 }),
    );
    expect(
      (await body<Json>(await h.pc(fr, `/v1/invoices/${String(january?.id)}`))).totalCharges,
    ).toBe(january?.totalCharges);
    await h.control('/clock', send('PUT', { now: '2026-03-01T06:00:00Z' }));
    const feb = (
      await body<Collection<Json & { id: string; billingPeriodStartDate: string }>>(
        await h.pc(fr, '/v1/invoices'),
      )
    ).items.find((i) => i.billingPeriodStartDate === '2026-02-01T00:00:00Z');
    const febItems = await body<
      Collection<Json & { subscriptionId: string; quantity: number; chargeType: string }>
    >(
      await h.pc(
        fr,
        `/v1/invoices/${String(feb?.id)}/lineitems?provider=office&invoicelineitemtype=billinglineitems`,
      ),
    );
    expect(febItems.items.find((li) => li.subscriptionId === e1?.id)).toMatchObject({
      chargeType: 'cycle_charge',
      quantity: 9,
    });

    expect((await h.pc(fr, '/v1/invoices/D0NOPE')).status).toBe(404);
    expect(
      (await h.pc(fr, `/v1/invoices/${String(january?.id)}/lineitems?provider=mars`)).status,
    ).toBe(400);
    // Another partner does not see Contoso France's invoices.
    const es = await body<Collection<{ id: string }>>(
      await h.pc(partner('Contoso Cloud España').tenantId, '/v1/invoices'),
    );
    expect(es.items.map((i) => i.id)).not.toContain(january?.id);
  });

  it("serves a customer's offer categories for its country", async () => {
    const fr = partner('Contoso Cloud France').tenantId;
    const alpine = customer('Alpine Foods SAS').tenantId;
    const forCustomer = await body<Collection<{ id: string; country: string }>>(
      await h.pc(fr, `/v1/customers/${alpine}/offercategories`),
    );
    const global = await body<Collection<{ id: string }>>(
      await h.pc(fr, '/v1/offercategories?country=FR'),
    );
    expect(forCustomer.items.map((c) => c.id)).toEqual(global.items.map((c) => c.id));
    expect(forCustomer.items.every((c) => c.country === 'FR')).toBe(true);
    expect(forCustomer.items.length).toBeGreaterThan(0);
  });

  it('answers an unsupported method with a Partner Center error, never a bare 405 code', async () => {
    const fr = partner('Contoso Cloud France').tenantId;
    const res = await h.pc(fr, '/v1/customers', send('PUT', {}));
    expect(res.status).toBe(405);
    const err = await body<PcError>(res);
    expect(err).toEqual({
      code: 800002,
      description: expect.stringContaining("'PUT'") as string,
      data: [],
      source: 'PartnerFD',
    });
  });

  it('removes DAP with PATCH allowDelegatedAccess false, keeping the reseller relationship', async () => {
    const fr = partner('Contoso Cloud France').tenantId;
    const alpine = customer('Alpine Foods SAS').tenantId;
    expect(await body(await h.pc(fr, `/v1/customers/${alpine}`))).toMatchObject({
      allowDelegatedAccess: true,
    });
    const res = await h.pc(
      fr,
      `/v1/customers/${alpine}`,
      send('PATCH', { allowDelegatedAccess: false, attributes: { objectType: 'Customer' } }),
    );
    expect(res.status).toBe(200);
    expect(await body(res)).toMatchObject({
      allowDelegatedAccess: false,
      relationshipToPartner: 'reseller',
    });
    expect(await body(await h.pc(fr, `/v1/customers/${alpine}`))).toMatchObject({
      allowDelegatedAccess: false,
      relationshipToPartner: 'reseller',
    });
    expect(await auditOps(fr)).toEqual(['dap_admin_relationship_terminated']);
    const grant = await h.pc(
      fr,
      `/v1/customers/${alpine}`,
      send('PATCH', { allowDelegatedAccess: true }),
    );
    expect(grant.status).toBe(400);
    // Still transactable: DAP is not needed to buy.
    expect(
      (
        await h.pc(
          fr,
          `/v1/customers/${alpine}/orders`,
          send('POST', { lineItems: [{ offerId: 'office365-e1', quantity: 1 }] }),
        )
      ).status,
    ).toBe(201);
  });

  it('throttles and faults the new routes like the rest', async () => {
    const fr = partner('Contoso Cloud France').tenantId;
    const alpine = customer('Alpine Foods SAS').tenantId;
    await h.control(
      '/throttling',
      send('PUT', { limits: { customers: { limit: 2, windowSeconds: 60, per: 'partner' } } }),
    );
    expect((await h.pc(fr, `/v1/customers/${alpine}/users`)).status).toBe(200);
    expect((await h.pc(fr, `/v1/customers/${alpine}/subscribedskus`)).status).toBe(200);
    const throttled = await h.pc(fr, `/v1/customers/${alpine}/users`);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('Retry-After')).toMatch(/^\d+$/);
    await h.control(
      '/faults',
      send('POST', { method: 'GET', path: '/v1/invoices*', status: 503, times: 1 }),
    );
    const faulted = await h.pc(fr, '/v1/invoices');
    expect(faulted.status).toBe(503);
    expect(await body<PcError>(faulted)).toMatchObject({ source: 'PartnerFD' });
    await h.control(
      '/faults',
      send('POST', {
        method: 'GET',
        path: '/graph/v1.0/tenantRelationships/*',
        status: 429,
        retryAfterSeconds: 3,
        times: 1,
      }),
    );
    const graph = await h.graph(fr, '/tenantRelationships/delegatedAdminRelationships');
    expect(graph.status).toBe(429);
    expect(graph.headers.get('Retry-After')).toBe('3');
    expect(await body(graph)).toMatchObject({ error: { code: 'TooManyRequests' } });
    await h.control(
      '/throttling',
      send('PUT', { limits: { graph: { limit: 1, windowSeconds: 60, per: 'partner' } } }),
    );
    const es = partner('Contoso Cloud España').tenantId;
    expect((await h.graph(es, '/tenantRelationships/delegatedAdminRelationships')).status).toBe(
      200,
    );
    const limited = await h.graph(es, '/tenantRelationships/delegatedAdminRelationships');
    expect(limited.status).toBe(429);
    expect(await body(limited)).toMatchObject({
      error: { code: 'TooManyRequests', message: expect.stringContaining('Rate limit') as string },
    });
  });
});
