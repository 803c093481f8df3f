import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from 'partner-center-emulator';
import { clockFrom } from '../../server/shared/clock.js';
import { encodeId } from '../../server/shared/ids.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { PLAN_CONSOLIDATION } from '../support/consolidation.js';
import { ADMINS, demoTransfer, type DemoTransfer } from '../support/transfer.js';

// Issue 8: each input rule, applied by the service, answers with its code and field path and
// changes nothing: no workflow row, no Partner Center call that writes, not even the reads for
// the checks that come first.

const PLAN_TRANSFER = `mutation($input: PlanSubscriptionTransferInput!) { planSubscriptionTransfer(input: $input) { userErrors { code field } workflow { id } } }`;
const PLAN_AZURE = `mutation($input: PlanAzurePlanTransitionInput!) { planAzurePlanTransition(input: $input) { userErrors { code field } workflow { id } } }`;
const PLAN_CHANNEL = `mutation($input: PlanChannelMoveInput!) { planChannelMove(input: $input) { userErrors { code field } workflow { id } } }`;
const ORDER = `mutation($input: OrderLegacyAzureSubscriptionInput!) { orderLegacyAzureSubscription(input: $input) { userErrors { code field } subscription { subscriptionId } } }`;

describe('input rules of the mutations', () => {
  let emulator: Emulator;
  let t: TestApp;
  let token: string;
  let demo: DemoTransfer;
  let tenantGid: string;
  let sourceGids: string[];
  let customerGid: string;

  beforeAll(async () => {
    emulator = createEmulator({ scenario: 'demo', seed: 7 });
    t = await startTestApp({
      emulator,
      clock: clockFrom(emulator.clock),
      env: { WORKFLOW_RUNNER: 'off' },
    });
    const partners = emulator.control.partners();
    const central = partners.find((p) => p.labels.includes('central'))!;
    token = await t.token(central.organizationId);
    const tenants = (
      await t.gql<{
        viewer: { organization: { partnerTenants: Array<{ id: string; tenantId: string }> } };
      }>('{ viewer { organization { partnerTenants { id tenantId } } } }', { token })
    ).body.data!.viewer.organization.partnerTenants;
    const gid = (id: string) => tenants.find((x) => x.tenantId === id)!.id;
    tenantGid = gid(central.tenantId);
    sourceGids = partners
      .filter((p) => p.labels.includes('regional') && p.organizationId === central.organizationId)
      .map((p) => gid(p.tenantId));
    demo = await demoTransfer(emulator);
    const alpine = emulator.control
      .customers()
      .find((c) => c.companyName.startsWith('Alpine Foods'))!;
    customerGid = encodeId('Customer', alpine.relationships[0]!.partnerTenantId, alpine.tenantId);
  });

  afterAll(async () => {
    await t.close();
  });

  const transferInput = (extra: Record<string, unknown>) => ({
    subscriptionId: demo.subscriptionGid,
    newPartnerTenantId: demo.target.tenantId,
    newPartnerMpnId: demo.target.mpnId,
    customerRequestReceivedAt: '2026-01-02T10:00:00Z',
    partnerAdmins: ADMINS,
    ...extra,
  });
  const channelInput = (extra: Record<string, unknown>) => ({
    partnerTenantId: tenantGid,
    customerTenantId: '0b6e5f8a-1c2d-4e3f-8a9b-0c1d2e3f4a5b',
    customerCountry: 'DE',
    sourceChannel: 'OTHER_PARTNER',
    licenses: [{ offerId: 'CFQ7TTC0LF8Q', seats: 5, expiresOn: '2026-03-01T00:00:00Z' }],
    ...extra,
  });

  const cases: Array<[string, string, () => Record<string, unknown>, string, string[]]> = [
    [
      'a transfer with a reference over 500 characters',
      PLAN_TRANSFER,
      () => transferInput({ customerRequestReference: 'r'.repeat(501) }),
      'TOO_LONG',
      ['input', 'customerRequestReference'],
    ],
    [
      'a transfer whose request date is before 2000',
      PLAN_TRANSFER,
      () => transferInput({ customerRequestReceivedAt: '1999-12-31T00:00:00Z' }),
      'INVALID_DATE',
      ['input', 'customerRequestReceivedAt'],
    ],
    [
      'a transfer naming an administrator with a 201-character name',
      PLAN_TRANSFER,
      () => transferInput({ partnerAdmins: [{ ...ADMINS[0], name: 'n'.repeat(201) }, ADMINS[1]] }),
      'TOO_LONG',
      ['input', 'partnerAdmins', '0', 'name'],
    ],
    [
      'a transfer with an administrator phone that is not one',
      PLAN_TRANSFER,
      () => transferInput({ partnerAdmins: [{ ...ADMINS[0], phone: 'call me' }, ADMINS[1]] }),
      'INVALID_PHONE',
      ['input', 'partnerAdmins', '0', 'phone'],
    ],
    [
      'a transfer with an administrator email in angle brackets',
      PLAN_TRANSFER,
      () => transferInput({ partnerAdmins: [{ ...ADMINS[0], email: '<a@b.example>' }, ADMINS[1]] }),
      'INVALID_EMAIL',
      ['input', 'partnerAdmins', '0', 'email'],
    ],
    [
      'an Azure plan budget in a currency that is not ISO 4217',
      PLAN_AZURE,
      () => ({ customerId: customerGid, budget: { amount: '100', currency: 'XYZ' } }),
      'INVALID_CURRENCY',
      ['input', 'budget', 'currency'],
    ],
    [
      'an Azure plan with an idempotency key containing spaces',
      PLAN_AZURE,
      () => ({ customerId: customerGid, idempotencyKey: 'has spaces' }),
      'INVALID',
      ['input', 'idempotencyKey'],
    ],
    [
      'a consolidation with a 201-character idempotency key',
      PLAN_CONSOLIDATION,
      () => ({
        sourcePartnerTenantIds: sourceGids,
        targetPartnerTenantId: tenantGid,
        idempotencyKey: 'k'.repeat(201),
      }),
      'INVALID',
      ['input', 'idempotencyKey'],
    ],
    [
      'a channel move with a 201-character customer name',
      PLAN_CHANNEL,
      () => channelInput({ customerName: 'c'.repeat(201) }),
      'TOO_LONG',
      ['input', 'customerName'],
    ],
    [
      'a channel move CSV over 512 KiB',
      PLAN_CHANNEL,
      () =>
        channelInput({
          licenses: [],
          csv: `offerId,seats\n${'CFQ7TTC0LF8Q,1\n'.repeat(40_000)}`,
        }),
      'CSV_TOO_LARGE',
      ['input', 'csv'],
    ],
    [
      'a channel move line with a 101-character offer id',
      PLAN_CHANNEL,
      () => channelInput({ licenses: [{ offerId: 'O'.repeat(101), seats: 1 }] }),
      'TOO_LONG',
      ['input', 'licenses', '0', 'offerId'],
    ],
    [
      'a channel move line expiring in 2200',
      PLAN_CHANNEL,
      () =>
        channelInput({
          licenses: [{ offerId: 'CFQ7TTC0LF8Q', seats: 1, expiresOn: '2200-01-01T00:00:00Z' }],
        }),
      'INVALID_DATE',
      ['input', 'licenses', '0', 'expiresOn'],
    ],
    [
      'a legacy Azure order with a 129-character nickname',
      ORDER,
      () => ({ customerId: customerGid, friendlyName: 'f'.repeat(129) }),
      'TOO_LONG',
      ['input', 'friendlyName'],
    ],
  ];

  it.each(cases)(
    'refuses %s with its code and field, changing nothing',
    async (_name, mutation, input, code, field) => {
      const requestsBefore = emulator.control.requests().length;
      const workflowsBefore = (
        await t.gql<{ workflows: { totalCount: number } }>('{ workflows { totalCount } }', {
          token,
        })
      ).body.data!.workflows.totalCount;
      const res = await t.gql<
        Record<string, { userErrors: Array<{ code: string; field: string[] }> }>
      >(mutation, { token, variables: { input: input() } });
      expect(res.body.errors).toBeUndefined();
      const payload = Object.values(res.body.data ?? {})[0]!;
      expect(payload.userErrors[0]).toMatchObject({ code, field });
      // Nothing stored, and not one Partner Center request (the checks come before any read).
      expect(
        (
          await t.gql<{ workflows: { totalCount: number } }>('{ workflows { totalCount } }', {
            token,
          })
        ).body.data!.workflows.totalCount,
      ).toBe(workflowsBefore);
      expect(
        emulator.control
          .requests()
          .slice(requestsBefore)
          .map((r) => `${r.method} ${r.path}`),
      ).toEqual([]);
    },
  );

  // Issue 17: hostile order inputs never reach Partner Center, and the error names the right field
  // without echoing the raw value.
  it('refuses hostile reseller MPN ids, nicknames and customer ids before any Partner Center write', async () => {
    const mpnIds = [
      '\u0000',
      '12\u0007\u001b34',
      '1'.repeat(100_000),
      '😀'.repeat(300),
      "1' OR 1=1 --",
      '../../orders',
      '<script>alert(1)</script>',
      '1234\u202e5678',
      '',
      ' 123456 ',
      '12345678901',
      '123',
    ];
    const names = ['\u0000', 'a\u001bb', 'x\u0007', '', '   ', 'abc\u202edef', 'a\u2066b'];
    const parts = customerGid ? Buffer.from(customerGid, 'base64url').toString('utf8') : '';
    const forged = Buffer.from(`${parts}\f`, 'utf8').toString('base64url');
    const cases: Array<[Record<string, unknown>, string, string[]]> = [
      ...mpnIds.map(
        (v) =>
          [
            { customerId: customerGid, resellerMpnId: v },
            'INVALID_MPN_ID',
            ['input', 'resellerMpnId'],
          ] as [Record<string, unknown>, string, string[]],
      ),
      ...names.map(
        (v) =>
          [
            { customerId: customerGid, friendlyName: v },
            'INVALID_TEXT',
            ['input', 'friendlyName'],
          ] as [Record<string, unknown>, string, string[]],
      ),
      [{ customerId: forged }, 'NOT_FOUND', ['input', 'customerId']],
    ];
    const before = emulator.control.requests().length;
    for (const [input, code, field] of cases) {
      const res = await t.gql<
        Record<string, { userErrors: Array<{ code: string; field: string[]; message?: string }> }>
      >(ORDER, { token, variables: { input } });
      expect(res.body.errors, JSON.stringify(input).slice(0, 80)).toBeUndefined();
      const error = res.body.data!.orderLegacyAzureSubscription!.userErrors[0];
      expect(error, JSON.stringify(input).slice(0, 80)).toMatchObject({ code, field });
      const raw = String(input.resellerMpnId ?? input.friendlyName ?? '');
      if (raw.trim().length > 2) {
        expect(JSON.stringify(res.body)).not.toContain(JSON.stringify(raw).slice(1, -1));
      }
    }
    const writes = emulator.control
      .requests()
      .slice(before)
      .filter((r) => r.method !== 'GET');
    expect({ tried: cases.length, writes: writes.length }).toEqual({ tried: 20, writes: 0 });
  });
});
