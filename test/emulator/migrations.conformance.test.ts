import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  advance,
  auditOf,
  resetWorld,
  send,
  subscriptions,
  tokenWithRoles,
  type Json,
  type Sub,
  type World,
} from './commerce-helpers.js';
import { body, MODES, openHarness, type Harness } from './harness.js';

interface Migration {
  id: string;
  status: string;
  currentSubscriptionId: string;
  catalogItemId: string;
  newCommerceSubscriptionId: string | null;
  subscriptionEndDate: string | null;
  quantity: number;
  termDuration: string;
  billingCycle: string;
  externalReferenceId: string | null;
}

interface Validation {
  isEligible: boolean;
  catalogItemId: string | null;
  billingCycle: string;
  errors: { code: number; description: string }[];
}

interface Schedule {
  id: string;
  status: string;
  quantity: number;
  targetDate: string | null;
  migrateOnRenewal: boolean;
  newCommerceMigrationId: string | null;
  errorCode: number | null;
}

const LEGACY_CO = {
  extends: 'demo-today',
  customers: [
    {
      key: 'legacy-co',
      companyName: 'Legado Servicios SL',
      country: 'ES',
      labels: ['legacy-co'],
      relationships: [{ partner: 'contoso-es' }],
      subscriptions: [
        {
          partner: 'contoso-es',
          offer: 'office365-e1',
          quantity: 4,
          billingCycle: 'monthly',
          createdDaysAgo: 100,
        },
        {
          partner: 'contoso-es',
          offer: 'office365-e3',
          quantity: 6,
          billingCycle: 'annual',
          createdDaysAgo: 100,
        },
        {
          partner: 'contoso-es',
          offer: 'ems-e3',
          quantity: 6,
          billingCycle: 'monthly',
          createdDaysAgo: 200,
        },
      ],
    },
  ],
};

describe.each(MODES)('Partner Center emulator: new-commerce migrations (%s)', (mode) => {
  let h: Harness;
  let w: World;
  const es = () => w.partner('Contoso Cloud España').tenantId;
  const base = (customerId: string) => `/v1/customers/${customerId}/migrations/newcommerce`;
  const post = (tenant: string, path: string, b: Json, init: RequestInit = {}) =>
    h.pc(tenant, path, send(b, { method: 'POST', ...init }));
  const legacyOf = async (tenant: string, customerId: string): Promise<Sub[]> =>
    (await subscriptions(h, tenant, customerId)).filter(
      (s) => !s.offerId.includes(':') && s.productType.id === 'OnlineServices',
    );

  beforeAll(async () => {
    h = await openHarness(mode);
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(async () => {
    w = await resetWorld(h, 'demo-today');
  });

  it('validates eligibility with the equivalent catalog item, and numeric error codes otherwise', async () => {
    const mallorca = w.customer('Mallorca Tours SL').tenantId;
    const [sub] = await legacyOf(es(), mallorca);
    const ok = await post(es(), `${base(mallorca)}/validate`, { currentSubscriptionId: sub?.id });
    expect(ok.status).toBe(200);
    expect(await body<Validation>(ok)).toMatchObject({
      isEligible: true,
      catalogItemId: 'CFQ7TTC0LF8R:0001:CFQ7TTC0K3B1',
      errors: [],
    });
    const codes = async (tenant: string, customerId: string, b: Json): Promise<number[]> =>
      (await body<Validation>(await post(tenant, `${base(customerId)}/validate`, b))).errors.map(
        (e) => e.code,
      );
    expect(
      await codes(es(), mallorca, {
        currentSubscriptionId: sub?.id,
        termDuration: 'P1M',
        billingCycle: 'annual',
      }),
    ).toEqual([7]);
    expect(
      await codes(es(), mallorca, { currentSubscriptionId: sub?.id, termDuration: 'P2Y' }),
    ).toEqual([6]);
    expect(await codes(es(), mallorca, { currentSubscriptionId: sub?.id, quantity: 0 })).toEqual([
      8,
    ]);
    expect(
      await codes(es(), mallorca, {
        currentSubscriptionId: sub?.id,
        customTermEndDate: '2025-12-31T00:00:00Z',
      }),
    ).toEqual([9]);
    const custom = await body<Validation & { customTermEndDate: string }>(
      await post(es(), `${base(mallorca)}/validate`, {
        currentSubscriptionId: sub?.id,
        customTermEndDate: '2026-06-30T00:00:00Z',
      }),
    );
    expect(custom).toMatchObject({ isEligible: true, customTermEndDate: '2026-06-30T00:00:00Z' });
    const fr = w.partner('Contoso Cloud France').tenantId;
    const dauphine = w.customer('Dauphiné Santé').tenantId;
    const [discontinued] = await legacyOf(fr, dauphine);
    expect(await codes(fr, dauphine, { currentSubscriptionId: discontinued?.id })).toEqual([5]);
    const alpine = w.customer('Alpine Foods SAS').tenantId;
    const nce = (await subscriptions(h, fr, alpine)).find((s) => s.offerId.includes(':'));
    expect(await codes(fr, alpine, { currentSubscriptionId: nce?.id })).toEqual([1]);
    const de = w.partner('Contoso Cloud Deutschland').tenantId;
    const isar = w.customer('Isar Software AG').tenantId;
    const ems = (await legacyOf(de, isar)).find((s) => s.offerId.startsWith('F1A2'));
    expect(await codes(de, isar, { currentSubscriptionId: ems?.id })).toEqual([10]);

    const unknown = await post(es(), `${base(mallorca)}/validate`, {
      currentSubscriptionId: '00000000-0000-0000-0000-000000000001',
    });
    expect(unknown.status).toBe(404);
    expect(await body(unknown)).toMatchObject({ code: 20003, source: 'PartnerFD' });
    const bad = await post(es(), `${base(mallorca)}/validate`, { termDuration: 'P1Y' });
    expect(bad.status).toBe(400);
    expect(await body(bad)).toMatchObject({ code: 800002 });
    const other = await post(
      w.partner('Contoso Cloud Italia').tenantId,
      `${base(mallorca)}/validate`,
      {
        currentSubscriptionId: sub?.id,
      },
    );
    expect(other.status).toBe(403);
  });

  it('migrates on the clock: the legacy subscription suspends, a new-commerce one keeps the seats and term end', async () => {
    const mallorca = w.customer('Mallorca Tours SL').tenantId;
    const [legacy] = await legacyOf(es(), mallorca);
    if (!legacy) {
      throw new Error('no legacy subscription');
    }
    const created = await post(
      es(),
      base(mallorca),
      { currentSubscriptionId: legacy.id, externalReferenceId: 'batch-1' },
      { headers: { 'MS-RequestId': 'mig-1' } },
    );
    expect(created.status).toBe(201);
    const m = await body<Migration>(created);
    expect(m).toMatchObject({
      status: 'Processing',
      currentSubscriptionId: legacy.id,
      catalogItemId: 'CFQ7TTC0LF8R:0001:CFQ7TTC0K3B1',
      quantity: legacy.quantity,
      termDuration: 'P1Y',
      externalReferenceId: 'batch-1',
      newCommerceSubscriptionId: null,
    });
    const replay = await body<Migration>(
      await post(
        es(),
        base(mallorca),
        { currentSubscriptionId: legacy.id },
        { headers: { 'MS-RequestId': 'mig-1' } },
      ),
    );
    expect(replay.id).toBe(m.id);
    const second = await post(es(), base(mallorca), { currentSubscriptionId: legacy.id });
    expect(second.status).toBe(400);
    expect(await body<{ code: number; data: { code: number }[] }>(second)).toMatchObject({
      code: 900215,
      data: [expect.objectContaining({ code: 3 })],
    });

    const listed = await body<{
      newCommerceMigrations: Migration[];
      continuationToken: string | null;
    }>(
      await h.pc(
        es(),
        `/v1/migrations/newcommerce?CustomerTenantId=${mallorca}&ExternalReferenceId=batch-1`,
      ),
    );
    expect(listed.newCommerceMigrations.map((x) => x.id)).toEqual([m.id]);
    expect(listed.continuationToken).toBeNull();

    await advance(h, 'PT9M');
    expect((await body<Migration>(await h.pc(es(), `${base(mallorca)}/${m.id}`))).status).toBe(
      'Processing',
    );
    await advance(h, 'PT1M');
    const done = await body<Migration>(await h.pc(es(), `${base(mallorca)}/${m.id}`));
    expect(done.status).toBe('Completed');
    const subs = await subscriptions(h, es(), mallorca);
    const nce = subs.find((s) => s.id === done.newCommerceSubscriptionId);
    const legacyEnd = new Date(Date.parse(legacy.commitmentEndDate) - 86_400_000)
      .toISOString()
      .slice(0, 10);
    expect(nce).toMatchObject({
      offerId: 'CFQ7TTC0LF8R:0001:CFQ7TTC0K3B1',
      quantity: legacy.quantity,
      status: 'active',
      termDuration: 'P1Y',
      billingCycle: legacy.billingCycle,
      migratedFromSubscriptionId: legacy.id,
      commitmentEndDate: `${legacyEnd}T00:00:00Z`,
      cancellationAllowedUntilDate: '2026-01-12T08:10:00.000Z',
    });
    expect(done.subscriptionEndDate).toBe(`${legacyEnd}T00:00:00Z`);
    expect(subs.find((s) => s.id === legacy.id)).toMatchObject({
      status: 'suspended',
      suspensionReasons: ['Migrated'],
    });

    const events = await body<{ eventName: string; newCommerceMigrationId: string }[]>(
      await h.pc(es(), `${base(mallorca)}/events?migration_id=${m.id}`),
    );
    expect(events.map((e) => e.eventName)).toEqual([
      'MigrationStarted',
      'NewCommerceSubscriptionCreated',
      'LegacySubscriptionSuspended',
      'MigrationCompleted',
    ]);
    expect(
      await body<unknown[]>(
        await h.pc(es(), `${base(mallorca)}/events?current_subscription_id=${nce?.id ?? ''}`),
      ),
    ).toEqual([]);
    const audit = await auditOf(h, es());
    expect(audit.filter((a) => a.operationType === 'create_new_commerce_migration')).toEqual([
      expect.objectContaining({ resourceType: 'new_commerce_migration', customerId: mallorca }),
    ]);
  });

  it('buys a full new term with purchaseFullTerm and keeps the reseller of record', async () => {
    const de = w.partner('Contoso Cloud Deutschland').tenantId;
    const koeln = w.customer('Kölner Versicherungsmakler GmbH').tenantId;
    const [legacy] = await legacyOf(de, koeln);
    const m = await body<Migration>(
      await post(de, base(koeln), {
        currentSubscriptionId: legacy?.id,
        purchaseFullTerm: true,
        termDuration: 'P3Y',
        billingCycle: 'annual',
      }),
    );
    await advance(h, 'PT10M');
    const done = await body<Migration>(await h.pc(de, `${base(koeln)}/${m.id}`));
    expect(done).toMatchObject({
      status: 'Completed',
      subscriptionEndDate: '2029-01-04T00:00:00Z',
      billingCycle: 'Annual',
    });
    const created = await body<{ partnerId?: string; termDuration: string }>(
      await h.pc(
        de,
        `/v1/customers/${koeln}/subscriptions/${done.newCommerceSubscriptionId ?? ''}`,
      ),
    );
    expect(created.termDuration).toBe('P3Y');
    expect(created.partnerId).toBe(w.partner('Nordwind IT Services GmbH').mpnId);
  });

  it('pages the migration list with PageSize (at most 300) and a continuation token', async () => {
    w = await resetWorld(h, LEGACY_CO);
    const co = w.customer('legacy-co').tenantId;
    for (const s of await legacyOf(es(), co)) {
      expect((await post(es(), base(co), { currentSubscriptionId: s.id })).status).toBe(201);
    }
    const first = await body<{
      newCommerceMigrations: Migration[];
      continuationToken: string | null;
    }>(await h.pc(es(), `/v1/migrations/newcommerce?CustomerTenantId=${co}&PageSize=2`));
    expect(first.newCommerceMigrations).toHaveLength(2);
    expect(first.continuationToken).toEqual(expect.any(String));
    const next = await body<{
      newCommerceMigrations: Migration[];
      continuationToken: string | null;
    }>(
      await h.pc(
        es(),
        `/v1/migrations/newcommerce?CustomerTenantId=${co}&PageSize=2&ContinuationToken=${first.continuationToken ?? ''}`,
      ),
    );
    expect(next.newCommerceMigrations).toHaveLength(1);
    expect(next.continuationToken).toBeNull();
    expect((await h.pc(es(), '/v1/migrations/newcommerce?PageSize=301')).status).toBe(400);
    // Another partner sees none of them.
    const fr = w.partner('Contoso Cloud France').tenantId;
    expect(
      (
        await body<{ newCommerceMigrations: unknown[] }>(
          await h.pc(fr, '/v1/migrations/newcommerce'),
        )
      ).newCommerceMigrations,
    ).toEqual([]);
  });

  it('schedules a migration, updates it with PUT, runs it on the clock, and cancels another', async () => {
    w = await resetWorld(h, LEGACY_CO);
    const co = w.customer('legacy-co').tenantId;
    const [a, b, c] = await legacyOf(es(), co);
    const sched = `${base(co)}/schedules`;
    const created = await post(es(), sched, {
      currentSubscriptionId: a?.id,
      targetDate: '2026-01-07T00:00:00Z',
    });
    expect(created.status).toBe(201);
    const s = await body<Schedule>(created);
    expect(s).toMatchObject({
      status: 'Scheduled',
      targetDate: '2026-01-07T00:00:00.000Z',
      migrateOnRenewal: false,
    });
    const blocked = await body<Validation>(
      await post(es(), `${base(co)}/validate`, { currentSubscriptionId: a?.id }),
    );
    expect(blocked.errors.map((e) => e.code)).toEqual([3]);

    const updated = await h.pc(
      es(),
      `${sched}/${s.id}`,
      send(
        { currentSubscriptionId: a?.id, targetDate: '2026-01-08T00:00:00Z', quantity: 2 },
        { method: 'PUT' },
      ),
    );
    expect(updated.status).toBe(200);
    expect(await body<Schedule>(updated)).toMatchObject({
      quantity: 2,
      targetDate: '2026-01-08T00:00:00.000Z',
    });
    const listed = await body<{ newCommerceMigrationSchedules: Schedule[] }>(
      await h.pc(es(), `/v1/migrations/newcommerce/schedules?CustomerTenantId=${co}`),
    );
    expect(listed.newCommerceMigrationSchedules.map((x) => x.id)).toEqual([s.id]);

    await advance(h, 'P2D');
    expect((await body<Schedule>(await h.pc(es(), `${sched}/${s.id}`))).status).toBe('Scheduled');
    await advance(h, 'PT16H');
    const ran = await body<Schedule>(await h.pc(es(), `${sched}/${s.id}`));
    expect(ran.status).toBe('Completed');
    await advance(h, 'PT10M');
    const m = await body<Migration>(
      await h.pc(es(), `${base(co)}/${ran.newCommerceMigrationId ?? ''}`),
    );
    expect(m).toMatchObject({ status: 'Completed', quantity: 2, currentSubscriptionId: a?.id });

    // On renewal: runs at the legacy subscription's commitment end.
    const onRenewal = await body<Schedule>(
      await post(es(), sched, { currentSubscriptionId: b?.id, migrateOnRenewal: true }),
    );
    expect(onRenewal.status).toBe('Scheduled');
    await h.control('/clock', send({ now: b?.commitmentEndDate }, { method: 'PUT' }));
    expect((await body<Schedule>(await h.pc(es(), `${sched}/${onRenewal.id}`))).status).toBe(
      'Completed',
    );

    const toCancel = await body<Schedule>(
      await post(es(), sched, { currentSubscriptionId: c?.id, migrateOnRenewal: true }),
    );
    const cancelled = await h.pc(es(), `${sched}/${toCancel.id}/cancel`, { method: 'POST' });
    expect(cancelled.status).toBe(200);
    expect((await body<Schedule>(cancelled)).status).toBe('Cancelled');
    const again = await h.pc(es(), `${sched}/${toCancel.id}/cancel`, { method: 'POST' });
    expect(again.status).toBe(400);
    expect(await body(again)).toMatchObject({ code: 900217 });
    const put = await h.pc(
      es(),
      `${sched}/${toCancel.id}`,
      send({ currentSubscriptionId: c?.id, migrateOnRenewal: true }, { method: 'PUT' }),
    );
    expect(put.status).toBe(400);
  });

  it('refuses bad schedule bodies', async () => {
    const mallorca = w.customer('Mallorca Tours SL').tenantId;
    const [sub] = await legacyOf(es(), mallorca);
    const sched = `${base(mallorca)}/schedules`;
    for (const b of [
      { currentSubscriptionId: sub?.id },
      {
        currentSubscriptionId: sub?.id,
        migrateOnRenewal: true,
        targetDate: '2026-01-09T00:00:00Z',
      },
      { currentSubscriptionId: sub?.id, targetDate: '2026-01-01T00:00:00Z' },
      { currentSubscriptionId: sub?.id, targetDate: '2031-01-01T00:00:00Z' },
      { currentSubscriptionId: sub?.id, targetDate: 'tomorrow' },
    ]) {
      const res = await post(es(), sched, b);
      expect(res.status, JSON.stringify(b)).toBe(400);
      expect(await body(res)).toMatchObject({ code: 800002, source: 'PartnerFD' });
    }
    expect(
      (
        await body<{ newCommerceMigrationSchedules: unknown[] }>(
          await h.pc(es(), '/v1/migrations/newcommerce/schedules'),
        )
      ).newCommerceMigrationSchedules,
    ).toEqual([]);
    const missing = await h.pc(es(), `${sched}/00000000-0000-0000-0000-000000000009`);
    expect(missing.status).toBe(404);
  });

  it('injects faults on migration routes; the retry with the same MS-RequestId then succeeds once', async () => {
    const mallorca = w.customer('Mallorca Tours SL').tenantId;
    const [sub] = await legacyOf(es(), mallorca);
    await h.control(
      '/faults',
      send(
        { method: 'POST', path: '/v1/customers/*/migrations/newcommerce', status: 500, times: 1 },
        { method: 'POST' },
      ),
    );
    const init = { headers: { 'MS-RequestId': 'retry-1' } };
    const failed = await post(es(), base(mallorca), { currentSubscriptionId: sub?.id }, init);
    expect(failed.status).toBe(500);
    expect(await body(failed)).toMatchObject({ code: 800003, source: 'PartnerFD' });
    const ok = await post(es(), base(mallorca), { currentSubscriptionId: sub?.id }, init);
    expect(ok.status).toBe(201);
    const again = await post(es(), base(mallorca), { currentSubscriptionId: sub?.id }, init);
    expect((await body<Migration>(again)).id).toBe((await body<Migration>(ok)).id);
    const list = await body<{ newCommerceMigrations: unknown[] }>(
      await h.pc(es(), '/v1/migrations/newcommerce'),
    );
    expect(list.newCommerceMigrations).toHaveLength(1);
  });

  it('refuses callers without the Admin agent role', async () => {
    const mallorca = w.customer('Mallorca Tours SL').tenantId;
    const [sub] = await legacyOf(es(), mallorca);
    const res = await h.pc(null, base(mallorca), {
      method: 'POST',
      body: JSON.stringify({ currentSubscriptionId: sub?.id }),
      headers: {
        Authorization: `Bearer ${tokenWithRoles(es(), ['HelpdeskAgent'])}`,
        'Content-Type': 'application/json',
      },
    });
    expect(res.status).toBe(403);
    expect(
      (
        await body<{ newCommerceMigrations: unknown[] }>(
          await h.pc(es(), '/v1/migrations/newcommerce'),
        )
      ).newCommerceMigrations,
    ).toEqual([]);
  });

  describe('documented rate limits', () => {
    beforeEach(async () => {
      // The virtual clock stands still, so buckets do not refill while the test runs.
      await h.control('/throttling', send({ timeSource: 'virtual' }, { method: 'PUT' }));
    });
    afterAll(async () => {
      await h.control('/throttling', send({ timeSource: 'real' }, { method: 'PUT' }));
    });

    const burst = async (n: number, call: () => Promise<Response>): Promise<number[]> => {
      const out: number[] = [];
      for (let i = 0; i < n; i += 25) {
        const batch = await Promise.all(Array.from({ length: Math.min(25, n - i) }, call));
        out.push(...batch.map((r) => r.status));
      }
      return out;
    };

    it('allows 100 migration creates per partner per 5 minutes, then 429 with Retry-After', async () => {
      const mallorca = w.customer('Mallorca Tours SL').tenantId;
      const statuses = await burst(100, () => post(es(), base(mallorca), {}));
      expect(statuses.every((s) => s === 400)).toBe(true);
      const limited = await post(es(), base(mallorca), {});
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(0);
      // Per partner: another customer of the same partner is limited too; validate is not.
      const granada = w.customer('Granada Textiles SA').tenantId;
      expect((await post(es(), base(granada), {})).status).toBe(429);
      expect((await post(es(), `${base(granada)}/validate`, {})).status).toBe(400);
      // Another partner has its own bucket.
      const it_ = w.partner('Contoso Cloud Italia').tenantId;
      expect((await post(it_, base(w.customer('Firenze Moda SpA').tenantId), {})).status).toBe(400);
    });

    it('allows 450 validations per partner-customer pair per 5 minutes, then 429', async () => {
      const mallorca = w.customer('Mallorca Tours SL').tenantId;
      const statuses = await burst(450, () => post(es(), `${base(mallorca)}/validate`, {}));
      expect(statuses.filter((s) => s === 429)).toHaveLength(0);
      expect((await post(es(), `${base(mallorca)}/validate`, {})).status).toBe(429);
      const granada = w.customer('Granada Textiles SA').tenantId;
      expect((await post(es(), `${base(granada)}/validate`, {})).status).toBe(400);
    });
  });
});
