import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  advance,
  auditOf,
  resetWorld,
  send,
  subscriptions,
  tokenWithRoles,
  type Json,
  type World,
} from './commerce-helpers.js';
import { body, MODES, openHarness, type Harness } from './harness.js';

interface Transfer {
  id: string;
  status: string;
  transferType?: number;
  expirationTime?: string;
  completedTime?: string | null;
  sourcePartnerTenantId: string;
  targetPartnerTenantId: string;
  partnertenantid: string;
  customerTenantId: string;
  lineItems: { subscriptionId: string; quantity: number; status?: string; productType: string }[];
  attributes: { objectType: string };
}

interface PcErr {
  code: number;
  description: string;
  source: string;
}

describe.each(MODES)('Partner Center emulator: partner-to-partner transfers (%s)', (mode) => {
  let h: Harness;
  let w: World;
  const eu = () => w.partner('Contoso Cloud Europe').tenantId;
  const fb = () => w.partner('Fabrikam Partners UK').tenantId;
  const nceBody = (over: Json = {}): Json => ({
    sourcePartnerTenantId: fb(),
    sourcePartnerName: 'Fabrikam Partners UK',
    customerEmailId: 'it@thames.example',
    targetProductTypes: ['OnlineServicesNCE'],
    transferType: 5,
    ...over,
  });
  const create = (customerId: string, b: Json, init: RequestInit = {}) =>
    h.pc(eu(), `/v1/customers/${customerId}/transfers`, send(b, { method: 'POST', ...init }));
  const patch = (tenant: string, customerId: string, id: string, b: Json) =>
    h.pc(tenant, `/v1/customers/${customerId}/transfers/${id}`, send(b, { method: 'PATCH' }));
  const get = async (tenant: string, customerId: string, id: string) =>
    body<Transfer>(await h.pc(tenant, `/v1/customers/${customerId}/transfers/${id}`));

  beforeAll(async () => {
    h = await openHarness(mode);
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(async () => {
    w = await resetWorld(h, 'demo-today');
  });

  it('plays a transfer from create to complete: seats, term and renewal kept, new ids, audit on both sides', async () => {
    const thames = w.customer('transfer-in').tenantId;
    const created = await create(thames, nceBody(), { headers: { 'MS-RequestId': 'tr-1' } });
    expect(created.status).toBe(201);
    const t = await body<Transfer>(created);
    expect(t).toMatchObject({
      status: 'Pending',
      transferType: 5,
      sourcePartnerTenantId: fb(),
      targetPartnerTenantId: eu(),
      customerTenantId: thames,
      attributes: { objectType: 'TransferEntity' },
    });
    expect(t.expirationTime).toBe('2026-02-04T08:00:00.000Z');
    expect(Object.keys(t).sort()).toEqual(
      [
        'attributes',
        'completedTime',
        'createdTime',
        'customerEmailId',
        'customerName',
        'customerTenantId',
        'expirationTime',
        'id',
        'lastModifiedTime',
        'lastModifiedUser',
        'lineItems',
        'links',
        'partnertenantid',
        'sourcePartnerName',
        'sourcePartnerTenantId',
        'status',
        'targetPartnerEmailId',
        'targetPartnerName',
        'targetPartnerTenantId',
        'targetProductTypes',
        'transferType',
      ].sort(),
    );
    expect(t).toMatchObject({
      customerName: 'Thames Valley Robotics Ltd',
      customerEmailId: 'it@thames.example',
      targetProductTypes: ['OnlineServicesNCE'],
      partnertenantid: eu(),
      lineItems: [],
    });

    // The source sees it (a bare array) and reads it by id.
    const listed = await body<Transfer[]>(await h.pc(fb(), `/v1/customers/${thames}/transfers`));
    expect(Array.isArray(listed)).toBe(true);
    expect(listed.map((x) => x.id)).toEqual([t.id]);
    expect((await get(fb(), thames, t.id)).status).toBe('Pending');

    const before = await subscriptions(h, fb(), thames);
    const nce = before.find((s) => s.offerId.includes(':'));
    expect(nce).toBeDefined();
    if (!nce) {
      return;
    }
    const accepted = await patch(fb(), thames, t.id, {
      id: t.id,
      status: 'inprogress',
      lineItems: [
        {
          subscriptionId: nce.id,
          quantity: nce.quantity,
          billingCycle: nce.billingCycle,
          productType: 'OnlineServicesNCE',
        },
      ],
    });
    expect(accepted.status).toBe(200);
    expect((await body<Transfer>(accepted)).status).toBe('InProgress');
    expect((await subscriptions(h, eu(), thames)).some((s) => s.transferId === t.id)).toBe(false);

    await advance(h, 'PT1H');
    const done = await get(eu(), thames, t.id);
    expect(done.status).toBe('Complete');
    expect(done.completedTime).toBe('2026-01-05T09:00:00.000Z');
    expect(done.lineItems).toEqual([
      expect.objectContaining({
        subscriptionId: nce.id,
        quantity: nce.quantity,
        status: 'Complete',
      }),
    ]);
    const moved = (await subscriptions(h, eu(), thames)).find((s) => s.transferId === t.id);
    expect(moved).toMatchObject({
      offerId: nce.offerId,
      quantity: nce.quantity,
      status: 'active',
      billingCycle: nce.billingCycle,
      termDuration: nce.termDuration,
      commitmentEndDate: nce.commitmentEndDate,
      effectiveStartDate: nce.effectiveStartDate,
      autoRenewEnabled: nce.autoRenewEnabled,
    });
    expect(moved?.id).not.toBe(nce.id);
    const ended = (await subscriptions(h, fb(), thames)).find((s) => s.id === nce.id);
    expect(ended).toMatchObject({ status: 'expired', suspensionReasons: ['Transferred'] });
    // The ended copy can't come back.
    const revive = await h.pc(
      fb(),
      `/v1/customers/${thames}/subscriptions/${nce.id}`,
      send({ status: 'active' }, { method: 'PATCH' }),
    );
    expect(revive.status).toBe(409);

    for (const tenant of [eu(), fb()]) {
      const ops = (await auditOf(h, tenant))
        .filter((a) => a.resourceType === 'transfer' && a.customerId === thames)
        .map(
          (a) => `${a.operationType}:${JSON.parse(a.resourceNewValue ?? '{}').Status as string}`,
        );
      expect(ops.sort()).toEqual([
        'create_transfer:Pending',
        'update_transfer:Complete',
        'update_transfer:InProgress',
      ]);
    }
    expect((await auditOf(h, eu())).some((a) => a.operationType === 'create_order')).toBe(true);
    expect(
      (await auditOf(h, fb())).some(
        (a) => a.operationType === 'update_subscription' && a.resourceNewValue?.includes(t.id),
      ),
    ).toBe(true);
  });

  it('replays a create with the same MS-RequestId instead of creating twice', async () => {
    const thames = w.customer('transfer-in').tenantId;
    const a = await body<Transfer>(
      await create(thames, nceBody(), { headers: { 'MS-RequestId': 'same' } }),
    );
    const b = await body<Transfer>(
      await create(thames, nceBody(), { headers: { 'MS-RequestId': 'same' } }),
    );
    expect(b.id).toBe(a.id);
    expect(
      await body<Transfer[]>(await h.pc(eu(), `/v1/customers/${thames}/transfers`)),
    ).toHaveLength(1);
    // A fresh request id is a second create: refused while the first is open.
    const again = await create(thames, nceBody(), { headers: { 'MS-RequestId': 'other' } });
    expect(again.status).toBe(409);
    expect(await body<PcErr>(again)).toMatchObject({ code: 900101, source: 'PartnerFD' });
  });

  it('lets the autopilot play the other partner: accepts after its delay, or never', async () => {
    const oak = w.customer('transfer-out').tenantId;
    const t = await body<Transfer>(await create(oak, nceBody({ transferType: 3 })));
    expect(t.transferType).toBe(3);
    await advance(h, 'PT23H');
    expect((await get(eu(), oak, t.id)).status).toBe('Pending');
    await advance(h, 'PT1H');
    expect((await get(eu(), oak, t.id)).status).toBe('InProgress');
    await advance(h, 'PT1H');
    const done = await get(eu(), oak, t.id);
    expect(done.status).toBe('Complete');
    expect(done.lineItems.length).toBeGreaterThan(0);

    // Through the control API the same partner now never answers; the control API can still accept.
    const off = await h.control(
      `/partners/${fb()}/autopilot`,
      send({ acceptTransfers: 'never' }, { method: 'PUT' }),
    );
    expect(off.status).toBe(200);
    const thames = w.customer('transfer-in').tenantId;
    const t2 = await body<Transfer>(await create(thames, nceBody()));
    await advance(h, 'P2D');
    expect((await get(eu(), thames, t2.id)).status).toBe('Pending');
    const played = await h.control(`/transfers/${t2.id}/accept`, { method: 'POST' });
    expect(played.status).toBe(200);
    expect((await get(eu(), thames, t2.id)).status).toBe('InProgress');
  });

  it('expires the demo transfer Fabrikam never accepts after 30 days (a guess, configurable)', async () => {
    const wessex = w.customer('transfer-never-accepted').tenantId;
    const [pending] = await body<Transfer[]>(
      await h.pc(eu(), `/v1/customers/${wessex}/transfers?status=PENDING`),
    );
    expect(pending).toMatchObject({ status: 'Pending', sourcePartnerTenantId: fb() });
    if (!pending) {
      return;
    }
    await advance(h, 'P26D');
    expect((await get(fb(), wessex, pending.id)).status).toBe('Pending');
    await advance(h, 'P1D');
    expect((await get(fb(), wessex, pending.id)).status).toBe('Expired');
    const subs = await subscriptions(h, fb(), wessex);
    const late = await patch(fb(), wessex, pending.id, {
      status: 'Active',
      lineItems: [{ subscriptionId: subs[0]?.id ?? '' }],
    });
    expect(late.status).toBe(400);
    expect(await body<PcErr>(late)).toMatchObject({ code: 900400 });
    expect(
      (await auditOf(h, fb())).some(
        (a) => a.resourceType === 'transfer' && a.resourceNewValue?.includes('"Status":"Expired"'),
      ),
    ).toBe(true);

    // The expiry is configurable through the autopilot.
    await h.control('/autopilot', send({ commerce: { transferExpiry: 'P2D' } }, { method: 'PUT' }));
    const thames = w.customer('transfer-in').tenantId;
    const t = await body<Transfer>(await create(thames, nceBody()));
    expect(t.expirationTime).toBe('2026-02-03T08:00:00.000Z');
  });

  it('cancels only as the target and only while pending', async () => {
    const thames = w.customer('transfer-in').tenantId;
    const t = await body<Transfer>(await create(thames, nceBody()));
    const bySource = await patch(fb(), thames, t.id, { status: 'cancel' });
    expect(bySource.status).toBe(403);
    const cancelled = await patch(eu(), thames, t.id, { status: 'CANCEL' });
    expect(cancelled.status).toBe(200);
    expect((await body<Transfer>(cancelled)).status).toBe('Cancel');
    const twice = await patch(eu(), thames, t.id, { status: 'Cancel' });
    expect(twice.status).toBe(409);
    expect(await body<PcErr>(twice)).toMatchObject({ code: 900104 });
    const subs = await subscriptions(h, fb(), thames);
    const late = await patch(fb(), thames, t.id, {
      status: 'Active',
      lineItems: [{ subscriptionId: subs[0]?.id ?? '' }],
    });
    expect(late.status).toBe(409);
  });

  it('refuses bad bodies and broken rules with Partner Center errors, changing nothing', async () => {
    const thames = w.customer('transfer-in').tenantId;
    const cases: [Json, number, number][] = [
      [nceBody({ sourcePartnerTenantId: undefined }), 400, 800002],
      [nceBody({ customerEmailId: 'not-an-email' }), 400, 800002],
      [nceBody({ transferType: 4 }), 400, 800002],
      [nceBody({ targetProductTypes: ['OnlineServices'] }), 400, 800002],
      [nceBody({ sourcePartnerTenantId: eu() }), 400, 900400],
      [nceBody({ sourcePartnerTenantId: w.partner('Contoso Cloud France').tenantId }), 400, 900400],
      [nceBody({ targetPartnerTenantId: w.partner('Contoso Cloud France').tenantId }), 400, 900400],
    ];
    for (const [b, status, code] of cases) {
      const res = await create(thames, b);
      expect(res.status, JSON.stringify(b)).toBe(status);
      expect(await body<PcErr>(res)).toMatchObject({ code, source: 'PartnerFD' });
    }
    const bad = await h.pc(eu(), `/v1/customers/${thames}/transfers`, {
      method: 'POST',
      body: '{',
    });
    expect(bad.status).toBe(400);

    // Azure in scope while the customer still has legacy Azure (0145P): the message seen in the wild.
    const azure = await create(thames, nceBody({ targetProductTypes: null }));
    expect(azure.status).toBe(400);
    expect(await body<PcErr>(azure)).toMatchObject({
      code: 900131,
      description:
        "This transfer request can't be initiated as the customer has legacy Azure subscriptions.",
    });
    // The target needs a reseller relationship with the customer.
    const fr = w.partner('Contoso Cloud France').tenantId;
    const noRel = await h.pc(
      fr,
      `/v1/customers/${thames}/transfers`,
      send(nceBody(), { method: 'POST' }),
    );
    expect(noRel.status).toBe(403);
    expect(await body<PcErr>(noRel)).toMatchObject({ code: 20002 });
    // Admin agent role: a token listing only Sales agent is refused; Admin agent passes.
    const sales = await h.pc(null, `/v1/customers/${thames}/transfers`, {
      method: 'POST',
      body: JSON.stringify(nceBody()),
      headers: {
        Authorization: `Bearer ${tokenWithRoles(eu(), ['SalesAgent'])}`,
        'Content-Type': 'application/json',
      },
    });
    expect(sales.status).toBe(403);
    expect(await body<Transfer[]>(await h.pc(eu(), `/v1/customers/${thames}/transfers`))).toEqual(
      [],
    );
    const admin = await h.pc(null, `/v1/customers/${thames}/transfers`, {
      method: 'POST',
      body: JSON.stringify(nceBody()),
      headers: {
        Authorization: `Bearer ${tokenWithRoles(eu(), ['AdminAgent'])}`,
        'Content-Type': 'application/json',
      },
    });
    expect(admin.status).toBe(201);
    expect(
      (await h.pc(eu(), `/v1/customers/${thames}/transfers/00000000-0000-0000-0000-000000000000`))
        .status,
    ).toBe(404);
  });

  it('moves an Azure plan with its Azure subscriptions; the old partner keeps its role assignments', async () => {
    w = await resetWorld(h, {
      extends: 'demo-today',
      customers: [
        {
          key: 'planned',
          companyName: 'Planned Cloud Ltd',
          country: 'GB',
          labels: ['planned'],
          azurePlan: true,
          relationships: [{ partner: 'fabrikam-uk' }, { partner: 'contoso-eu' }],
          subscriptions: [
            { partner: 'fabrikam-uk', offer: 'azure-plan' },
            { partner: 'fabrikam-uk', offer: 'office365-e3-nce', quantity: 4 },
          ],
        },
      ],
    });
    const planned = w.customer('planned').tenantId;
    const t = await body<Transfer>(await create(planned, nceBody({ targetProductTypes: null })));
    const subs = await subscriptions(h, fb(), planned);
    const plan = subs.find((s) => s.productType.id === 'Azure');
    const entitlements = async (tenant: string, sid: string) =>
      (
        await body<{ items: { id: string; status: string }[] }>(
          await h.pc(tenant, `/v1/customers/${planned}/subscriptions/${sid}/azureEntitlements`),
        )
      ).items;
    const [azure] = await entitlements(fb(), plan?.id ?? '');
    expect(azure).toBeDefined();
    const accepted = await patch(fb(), planned, t.id, {
      status: 'Active',
      lineItems: subs.map((s) => ({ subscriptionId: s.id })),
    });
    expect(accepted.status).toBe(200);
    expect((await body<Transfer>(accepted)).lineItems.map((li) => li.productType).sort()).toEqual([
      'AzureSubscription',
      'OnlineServicesNCE',
    ]);
    await advance(h, 'PT1H');
    const newPlan = (await subscriptions(h, eu(), planned)).find(
      (s) => s.transferId === t.id && s.productType.id === 'Azure',
    );
    expect(newPlan).toMatchObject({ status: 'active', commitmentEndDate: '9999-12-10T00:00:00Z' });
    expect((await entitlements(eu(), newPlan?.id ?? '')).map((e) => e.id)).toEqual([azure?.id]);
    expect((await subscriptions(h, fb(), planned)).find((s) => s.id === plan?.id)?.status).toBe(
      'expired',
    );
    // No AOBO for the new partner: its Admin Agents hold no role; the old partner's stay.
    const roles = await body<{ value: { properties: { principalId: string } }[] }>(
      await h.arm(
        fb(),
        `/subscriptions/${azure?.id ?? ''}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01`,
      ),
    );
    const principals = roles.value.map((r) => r.properties.principalId);
    expect(principals).toContain(w.partner('Fabrikam Partners UK').adminAgentsGroupId);
    expect(principals).not.toContain(w.partner('Contoso Cloud Europe').adminAgentsGroupId);
  });

  it('keeps transfers within the target partner region and needs the customer MCA', async () => {
    w = await resetWorld(h, {
      extends: 'demo-today',
      customers: [
        {
          key: 'far',
          companyName: 'Far Away Inc',
          country: 'CA',
          labels: ['far'],
          relationships: [{ partner: 'fabrikam-uk' }, { partner: 'contoso-eu' }],
          subscriptions: [{ partner: 'fabrikam-uk', offer: 'office365-e3-nce', quantity: 3 }],
        },
        {
          key: 'unsigned',
          companyName: 'Unsigned Ltd',
          country: 'GB',
          labels: ['unsigned'],
          mca: false,
          relationships: [{ partner: 'fabrikam-uk' }, { partner: 'contoso-eu' }],
          subscriptions: [{ partner: 'fabrikam-uk', offer: 'office365-e3-nce', quantity: 3 }],
        },
      ],
    });
    const far = await create(w.customer('far').tenantId, nceBody());
    expect(far.status).toBe(403);
    expect(await body<PcErr>(far)).toMatchObject({ code: 2030 });
    const unsigned = await create(w.customer('unsigned').tenantId, nceBody());
    expect(unsigned.status).toBe(403);
    expect(await body<PcErr>(unsigned)).toMatchObject({ code: 13605 });
  });

  it('accepts only new-commerce line items of the source, within seats and billing cycle', async () => {
    w = await resetWorld(h, {
      extends: 'demo-today',
      customers: [
        {
          key: 'mixed',
          companyName: 'Mixed Licences Ltd',
          country: 'GB',
          labels: ['mixed'],
          relationships: [{ partner: 'fabrikam-uk' }, { partner: 'contoso-eu' }],
          subscriptions: [
            { partner: 'fabrikam-uk', offer: 'office365-e3', quantity: 10 },
            {
              partner: 'fabrikam-uk',
              offer: 'office365-e5-nce',
              quantity: 8,
              billingCycle: 'annual',
            },
            { partner: 'contoso-eu', offer: 'office365-e1-nce', quantity: 3 },
          ],
        },
      ],
    });
    const mixed = w.customer('mixed').tenantId;
    const t = await body<Transfer>(await create(mixed, nceBody()));
    const subs = await subscriptions(h, fb(), mixed);
    const legacy = subs.find((s) => !s.offerId.includes(':'));
    const nce = subs.find((s) => s.offerId.includes(':'));
    const own = (await subscriptions(h, eu(), mixed))[0];
    const tries: [Json[], number, number][] = [
      [[], 400, 800002],
      [[{ subscriptionId: legacy?.id }], 400, 900400],
      [[{ subscriptionId: own?.id }], 400, 800002],
      [[{ subscriptionId: nce?.id, quantity: 9 }], 400, 800002],
      [[{ subscriptionId: nce?.id, billingCycle: 'monthly' }], 400, 800002],
      [[{ subscriptionId: nce?.id, productType: 'AzureSubscription' }], 400, 800002],
      [[{ subscriptionId: nce?.id }, { subscriptionId: nce?.id }], 400, 800002],
    ];
    for (const [lineItems, status, code] of tries) {
      const res = await patch(fb(), mixed, t.id, { status: 'Active', lineItems });
      expect(res.status, JSON.stringify(lineItems)).toBe(status);
      expect(await body<PcErr>(res)).toMatchObject({ code });
    }
    expect((await get(fb(), mixed, t.id)).status).toBe('Pending');
    const byTarget = await patch(eu(), mixed, t.id, {
      status: 'Active',
      lineItems: [{ subscriptionId: nce?.id }],
    });
    expect(byTarget.status).toBe(403);
    // Part of the seats: the source keeps the rest.
    const ok = await patch(fb(), mixed, t.id, {
      status: 'Active',
      lineItems: [{ subscriptionId: nce?.id, quantity: 5 }],
    });
    expect(ok.status).toBe(200);
    await advance(h, 'PT1H');
    expect((await subscriptions(h, fb(), mixed)).find((s) => s.id === nce?.id)).toMatchObject({
      status: 'active',
      quantity: 3,
    });
    expect((await subscriptions(h, eu(), mixed)).find((s) => s.transferId === t.id)).toMatchObject({
      quantity: 5,
      billingCycle: 'annual',
    });
  });

  it('puts a reseller of record on the moved subscriptions when the target is an indirect provider', async () => {
    const oak = w.customer('transfer-out').tenantId;
    const nordwind = w.partner('Nordwind IT Services GmbH');
    const stranger = await create(oak, nceBody({ partnerOnRecord: '1234567' }));
    expect(stranger.status).toBe(400);
    expect(await body<PcErr>(stranger)).toMatchObject({ code: 900400 });
    const t = await body<Transfer>(await create(oak, nceBody({ partnerOnRecord: nordwind.mpnId })));
    const [sub] = (await subscriptions(h, fb(), oak)).filter((s) => s.offerId.includes(':'));
    await patch(fb(), oak, t.id, { status: 'Active', lineItems: [{ subscriptionId: sub?.id }] });
    await advance(h, 'PT1H');
    const moved = (await subscriptions(h, eu(), oak)).find((s) => s.transferId === t.id);
    expect(moved).toMatchObject({ partnerId: nordwind.mpnId });
    // The reseller sees the subscription it is on record for.
    const seen = await subscriptions(h, nordwind.tenantId, oak);
    expect(seen.map((s) => s.id)).toContain(moved?.id);
  });

  it('throttles GET transfers and injects faults like other routes', async () => {
    const thames = w.customer('transfer-in').tenantId;
    await h.control(
      '/throttling',
      send(
        { limits: { transfers: { limit: 2, windowSeconds: 60, per: 'partner_customer' } } },
        { method: 'PUT' },
      ),
    );
    const path = `/v1/customers/${thames}/transfers`;
    try {
      await throttledChecks(path);
    } finally {
      await h.control(
        '/throttling',
        send(
          { limits: { transfers: { limit: 500, windowSeconds: 60, per: 'partner_customer' } } },
          { method: 'PUT' },
        ),
      );
    }
  });

  async function throttledChecks(path: string): Promise<void> {
    expect((await h.pc(eu(), path)).status).toBe(200);
    expect((await h.pc(eu(), path)).status).toBe(200);
    const limited = await h.pc(eu(), path);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(0);
    // Another customer has its own bucket.
    expect(
      (await h.pc(eu(), `/v1/customers/${w.customer('transfer-out').tenantId}/transfers`)).status,
    ).toBe(200);

    await h.control(
      '/faults',
      send(
        { method: 'POST', path: '/v1/customers/*/transfers', status: 503, times: 1 },
        { method: 'POST' },
      ),
    );
    const faulted = await create(w.customer('transfer-out').tenantId, nceBody());
    expect(faulted.status).toBe(503);
    expect((await create(w.customer('transfer-out').tenantId, nceBody())).status).toBe(201);
  }

  it('caps a transfer at 300 subscriptions per tenant (large-today, over-cap customer)', async () => {
    w = await resetWorld(h, 'large-today:8');
    const cap = w.customer('over-transfer-cap').tenantId;
    const fr = w.partner('Contoso Cloud France').tenantId;
    const central = w.partner('Contoso Cloud Europe').tenantId;
    const res = await h.pc(
      central,
      `/v1/customers/${cap}/transfers`,
      send(
        {
          sourcePartnerTenantId: fr,
          sourcePartnerName: 'Contoso Cloud France',
          customerEmailId: 'it@over-cap.example',
          targetProductTypes: ['OnlineServicesNCE'],
          transferType: 5,
        },
        { method: 'POST' },
      ),
    );
    expect(res.status).toBe(201);
    const t = await body<Transfer>(res);
    const subs = await subscriptions(h, fr, cap);
    expect(subs.length).toBeGreaterThan(300);
    const over = await patch(fr, cap, t.id, {
      status: 'Active',
      lineItems: subs.slice(0, 301).map((s) => ({ subscriptionId: s.id })),
    });
    expect(over.status).toBe(400);
    expect((await body<PcErr>(over)).description).toContain('300');
    const ok = await patch(fr, cap, t.id, {
      status: 'Active',
      lineItems: subs.slice(0, 300).map((s) => ({ subscriptionId: s.id })),
    });
    expect(ok.status).toBe(200);
    await advance(h, 'PT1H');
    const moved = (await subscriptions(h, central, cap)).filter((s) => s.transferId === t.id);
    expect(moved).toHaveLength(300);
    expect((await subscriptions(h, fr, cap)).filter((s) => s.status === 'active')).toHaveLength(
      subs.length - 300,
    );
  });

  describe('legacy license transfers (§9d)', () => {
    beforeEach(async () => {
      w = await resetWorld(h, 'demo');
    });

    it('creates as the source, accepts as the target, and moves the subscriptions at once', async () => {
      const oak = w.customer('transfer-out').tenantId;
      const elig = await body<{ id: string; isEligible: boolean; reason: string | null }[]>(
        await h.pc(fb(), `/v1/customers/${oak}/transferseligibility?transferType=directtoindirect`),
      );
      const sub = elig.find((e) => e.isEligible);
      expect(sub).toBeDefined();
      const missing = await h.pc(fb(), `/v1/customers/${oak}/transferseligibility`);
      expect(missing.status).toBe(400);
      const created = await h.pc(
        fb(),
        `/v1/customers/${oak}/transfers`,
        send(
          {
            sourcePartnerTenantId: fb(),
            targetPartnerTenantId: eu(),
            lineItems: [{ subscriptionId: sub?.id }],
          },
          { method: 'POST' },
        ),
      );
      expect(created.status).toBe(201);
      const t = await body<Transfer>(created);
      expect(t).toMatchObject({ status: 'Active', partnertenantid: fb() });
      expect(t.transferType).toBeUndefined();
      const accepted = await h.pc(eu(), `/v1/customers/${oak}/transfers/${t.id}/accept`, {
        method: 'POST',
      });
      expect(accepted.status).toBe(200);
      const result = await body<{ orders: { id: string }[]; transferErrors: unknown[] }>(accepted);
      expect(result.orders).toHaveLength(1);
      expect(result.transferErrors).toEqual([]);
      expect((await get(fb(), oak, t.id)).status).toBe('Complete');
      for (const tenant of [fb(), eu()]) {
        const ops = (await auditOf(h, tenant))
          .filter((a) => a.resourceType === 'transfer' && a.customerId === oak)
          .map((a) => a.operationType)
          .sort();
        expect(ops).toEqual(['create_transfer', 'update_transfer']);
      }
      expect((await subscriptions(h, eu(), oak)).some((s) => s.transferId === t.id)).toBe(true);
      expect((await subscriptions(h, fb(), oak)).find((s) => s.id === sub?.id)?.status).toBe(
        'expired',
      );
    });

    it('rejects as the target, withdraws as the source, refuses ineligible subscriptions', async () => {
      const thames = w.customer('transfer-in').tenantId;
      const subs = await subscriptions(h, fb(), thames);
      const licence = subs.find((s) => s.productType.id === 'OnlineServices');
      const azure = subs.find((s) => s.productType.id === 'Azure');
      const make = () =>
        h.pc(
          fb(),
          `/v1/customers/${thames}/transfers`,
          send(
            { targetPartnerTenantId: eu(), lineItems: [{ subscriptionId: licence?.id }] },
            { method: 'POST' },
          ),
        );
      const refused = await h.pc(
        fb(),
        `/v1/customers/${thames}/transfers`,
        send(
          { targetPartnerTenantId: eu(), lineItems: [{ subscriptionId: azure?.id }] },
          { method: 'POST' },
        ),
      );
      expect(refused.status).toBe(400);
      expect(await body<PcErr>(refused)).toMatchObject({ code: 900400 });
      const t1 = await body<Transfer>(await make());
      const rejected = await patch(eu(), thames, t1.id, { id: t1.id, status: 'REJECT' });
      expect(rejected.status).toBe(200);
      expect((await body<Transfer>(rejected)).status).toBe('Reject');
      const t2 = await body<Transfer>(await make());
      expect(
        (await h.pc(eu(), `/v1/customers/${thames}/transfers/${t2.id}`, { method: 'DELETE' }))
          .status,
      ).toBe(403);
      expect(
        (await h.pc(fb(), `/v1/customers/${thames}/transfers/${t2.id}`, { method: 'DELETE' }))
          .status,
      ).toBe(204);
      expect((await get(fb(), thames, t2.id)).status).toBe('Withdrawn');
      const late = await h.pc(eu(), `/v1/customers/${thames}/transfers/${t2.id}/accept`, {
        method: 'POST',
      });
      expect(late.status).toBe(409);
      expect((await subscriptions(h, fb(), thames)).find((s) => s.id === licence?.id)?.status).toBe(
        'active',
      );
    });
  });

  it('keeps transfers in the state snapshot', async () => {
    const thames = w.customer('transfer-in').tenantId;
    const t = await body<Transfer>(await create(thames, nceBody()));
    const state = await body<Json>(await h.control('/state'));
    await h.control('/reset', send({ scenario: 'empty' }, { method: 'POST' }));
    expect((await h.control('/state', { method: 'PUT', body: JSON.stringify(state) })).status).toBe(
      200,
    );
    expect((await get(eu(), thames, t.id)).status).toBe('Pending');
    // Its timers came back too: Fabrikam's autopilot accepts after 24 h, completion 1 h later.
    await advance(h, 'PT25H');
    expect((await get(eu(), thames, t.id)).status).toBe('Complete');
  });
});
