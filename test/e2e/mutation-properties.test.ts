import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from 'partner-center-emulator';
import { clockFrom } from '../../server/shared/clock.js';
import { encodeId } from '../../server/shared/ids.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { ADMINS, demoTransfer } from '../support/transfer.js';

// Issue 8, property-based: random and malformed input to every mutation never produces an internal
// error (no 5xx, no INTERNAL_SERVER_ERROR), and when refused (userErrors or a request error) changes
// nothing: no workflow row, no write to Partner Center, no change of its state.

const RUNS = Number(process.env.PROPERTY_RUNS ?? 25);

/** Mostly `good` (so most inputs reach the services), sometimes `bad` (GraphQL refuses those). */
const mostly = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: good, weight: 5 }, { arbitrary: bad, weight: 1 });

/** Strings that break naive code: empty, blank, long, control characters, markup, SQL, emoji. */
const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ minLength: 250, maxLength: 700 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\u202e',
    '💥',
    "' OR 1=1 --",
    '<script>alert(1)</script>',
    '../../etc/passwd',
    'null',
    '00000000-0000-0000-0000-000000000000',
  ),
);

describe('mutations under random and malformed input', () => {
  let emulator: Emulator;
  let t: TestApp;
  let token: string;
  const valid = {} as {
    tenantGid: string;
    customerGid: string;
    subscriptionGid: string;
    workflowGid: string;
    transferGid: string;
  };

  /** An id: valid, another organization's or type's, well-formed but unknown, or garbage. */
  const idLike = () =>
    fc.oneof(
      fc.constantFrom(
        valid.tenantGid,
        valid.customerGid,
        valid.subscriptionGid,
        valid.workflowGid,
        valid.transferGid,
      ),
      fc
        .tuple(
          fc.constantFrom(
            'PartnerTenant',
            'Customer',
            'CustomerSubscription',
            'TenantConsolidation',
            'X',
          ),
          fc.array(fc.stringMatching(/^[a-z0-9-]{1,12}$/), { minLength: 1, maxLength: 3 }),
        )
        .map(([type, parts]) => encodeId(type, ...parts)),
      nasty,
    );
  const guidLike = () => fc.oneof(fc.uuid(), nasty);
  const dateLike = mostly(
    fc
      .date({ min: new Date('1900-01-01'), max: new Date('2300-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString()),
    nasty,
  );
  const intLike = mostly(
    fc.integer({ min: -5, max: 200 }),
    fc.oneof(fc.integer(), fc.constant(2 ** 31)),
  );
  const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

  interface Snapshot {
    workflows: number;
    writes: number;
    subscriptions: string;
  }
  const snapshot = async (): Promise<Snapshot> => {
    const res = await t.gql<{ workflows: { totalCount: number } }>(
      '{ workflows(first: 1) { totalCount } }',
      {
        token,
      },
    );
    return {
      workflows: res.body.data!.workflows.totalCount,
      writes: emulator.control.requests().filter((r) => r.method !== 'GET').length,
      subscriptions: JSON.stringify(emulator.control.state().subscriptions),
    };
  };

  let calls = 0;
  let reachedServices = 0;
  let refusedCalls = 0;
  let refusedWrites = 0;
  /** Sends one mutation and checks both properties. */
  const check = async (mutation: string, input: unknown) => {
    const before = await snapshot();
    const res = await t.gql<Record<string, { userErrors?: unknown[] } | null>>(mutation, {
      token,
      variables: { input },
    });
    const text = JSON.stringify(res.body);
    expect(res.status, text).toBeLessThan(500);
    expect(text).not.toContain('INTERNAL_SERVER_ERROR');
    const payload = Object.values(res.body.data ?? {})[0];
    calls += 1;
    if (payload) {
      reachedServices += 1;
    }
    const refused = !!res.body.errors?.length || (payload?.userErrors?.length ?? 0) > 0;
    if (refused) {
      const after = await snapshot();
      refusedCalls += 1;
      refusedWrites += after.writes - before.writes;
      // Issue 17: a refused input sends no non-GET request to Partner Center, stores nothing.
      expect(after, `${mutation}\n${JSON.stringify(input)}\n${text}`).toEqual(before);
    }
    return refused;
  };

  const property = async <T>(arb: fc.Arbitrary<T>, mutation: string, runs = RUNS) => {
    let refusals = 0;
    await fc.assert(
      fc.asyncProperty(arb, async (input) => {
        if (await check(mutation, input)) {
          refusals += 1;
        }
      }),
      { numRuns: runs, seed: 8 },
    );
    return refusals;
  };

  beforeAll(async () => {
    emulator = createEmulator({ scenario: 'demo', seed: 7 });
    t = await startTestApp({
      emulator,
      clock: clockFrom(emulator.clock),
      env: { WORKFLOW_RUNNER: 'off', GRAPHQL_COST_RESTORE_RATE: '100000' },
    });
    const central = emulator.control.partners().find((p) => p.labels.includes('central'))!;
    token = await t.token(central.organizationId);
    const tenants = (
      await t.gql<{
        viewer: { organization: { partnerTenants: Array<{ id: string; tenantId: string }> } };
      }>('{ viewer { organization { partnerTenants { id tenantId } } } }', { token })
    ).body.data!.viewer.organization.partnerTenants;
    valid.tenantGid = tenants.find((x) => x.tenantId === central.tenantId)!.id;
    const alpine = emulator.control
      .customers()
      .find((c) => c.companyName.startsWith('Alpine Foods'))!;
    valid.customerGid = encodeId(
      'Customer',
      alpine.relationships[0]!.partnerTenantId,
      alpine.tenantId,
    );
    const transfer = await demoTransfer(emulator);
    valid.subscriptionGid = transfer.subscriptionGid;
    const planned = await t.gql<{ planSubscriptionTransfer: { workflow: { id: string } } }>(
      `mutation($input: PlanSubscriptionTransferInput!) { planSubscriptionTransfer(input: $input) { workflow { id } } }`,
      {
        token,
        variables: {
          input: {
            subscriptionId: transfer.subscriptionGid,
            newPartnerTenantId: transfer.target.tenantId,
            newPartnerMpnId: transfer.target.mpnId,
            customerRequestReceivedAt: '2026-01-02T10:00:00Z',
            partnerAdmins: ADMINS,
          },
        },
      },
    );
    valid.transferGid = planned.body.data!.planSubscriptionTransfer.workflow.id;
    valid.workflowGid = valid.transferGid;
  });

  afterAll(async () => {
    console.log(
      `mutation properties: ${calls} random inputs, ${refusedCalls} refused; Partner Center writes sent for refused inputs: ${refusedWrites}`,
    );
    await t.close();
  });

  it('workflow commands (start, cancel, retry, confirm clean-up, reissue link)', async () => {
    for (const m of ['startWorkflow', 'cancelWorkflow', 'retryWorkflow']) {
      await property(
        fc.record({ id: idLike() }),
        `mutation($input: WorkflowIdInput!) { ${m}(input: $input) { userErrors { code field } workflow { id } } }`,
        8,
      );
    }
    await property(
      fc.record({ transferId: idLike() }),
      `mutation($input: ConfirmTransferCleanupInput!) { confirmTransferCleanup(input: $input) { userErrors { code } } }`,
      8,
    );
    await property(
      fc.record({
        transferId: idLike(),
        party: mostly(
          fc.constantFrom('CUSTOMER', 'NEW_PARTNER', 'CURRENT_PARTNER'),
          fc.constant('NOBODY'),
        ),
      }),
      `mutation($input: ReissueSigningLinkInput!) { reissueSigningLink(input: $input) { userErrors { code } } }`,
      8,
    );
  });

  it('planTenantConsolidation', async () => {
    const refusals = await property(
      fc.record(
        {
          sourcePartnerTenantIds: fc.array(idLike(), { maxLength: 4 }),
          targetPartnerTenantId: idLike(),
          customerIds: maybe(fc.array(idLike(), { maxLength: 3 })),
          idempotencyKey: maybe(nasty),
        },
        { requiredKeys: ['sourcePartnerTenantIds', 'targetPartnerTenantId'] },
      ),
      `mutation($input: PlanTenantConsolidationInput!) { planTenantConsolidation(input: $input) { userErrors { code field } workflow { id } } }`,
    );
    expect(refusals).toBeGreaterThan(0);
  });

  it('planAzurePlanTransition and orderLegacyAzureSubscription', async () => {
    const money = fc.record({
      amount: fc.oneof(fc.constantFrom('5000', '5000.50', '0', '-1', '1e9', '1.234'), nasty),
      currency: fc.oneof(fc.constantFrom('EUR', 'CHF', 'GBP', 'USD', 'eur', 'XXX'), nasty),
    });
    await property(
      fc.record(
        { customerId: idLike(), budget: maybe(money), idempotencyKey: maybe(nasty) },
        { requiredKeys: ['customerId'] },
      ),
      `mutation($input: PlanAzurePlanTransitionInput!) { planAzurePlanTransition(input: $input) { userErrors { code field } workflow { id } } }`,
    );
    await property(
      fc
        .record(
          {
            customerId: idLike(),
            friendlyName: maybe(nasty),
            idempotencyKey: maybe(nasty),
            // Never a valid order: every key here is refused before ordering, or the customer is not ours.
          },
          { requiredKeys: ['customerId'] },
        )
        .filter((i) => i.customerId !== valid.customerGid || typeof i.idempotencyKey === 'string'),
      `mutation($input: OrderLegacyAzureSubscriptionInput!) { orderLegacyAzureSubscription(input: $input) { userErrors { code field } subscription { subscriptionId } } }`,
      12,
    );
  });

  it('planChannelMove, inline and as CSV', async () => {
    const license = fc.record(
      {
        offerId: nasty,
        seats: intLike,
        expiresOn: maybe(dateLike),
        action: maybe(mostly(fc.constantFrom('LET_EXPIRE', 'CANCEL'), fc.constant('SOMETIMES'))),
      },
      { requiredKeys: ['offerId', 'seats'] },
    );
    const csv = fc.oneof(
      nasty,
      fc
        .array(fc.tuple(nasty, fc.oneof(intLike.map(String), nasty), dateLike), { maxLength: 5 })
        .map((rows) =>
          [
            'offerId,seats,expiresOn',
            ...rows.map((r) => r.map((c) => JSON.stringify(c)).join(',')),
          ].join('\n'),
        ),
    );
    await property(
      fc.record(
        {
          partnerTenantId: idLike(),
          customerTenantId: guidLike(),
          customerCountry: maybe(fc.oneof(fc.constantFrom('DE', 'FR', 'US', 'ZZ', 'de'), nasty)),
          customerName: maybe(nasty),
          sourceChannel: mostly(
            fc.constantFrom('OTHER_PARTNER', 'DIRECT', 'EA'),
            fc.constant('NOPE'),
          ),
          cutoverLeadDays: maybe(intLike),
          licenses: fc.array(license, { maxLength: 3 }),
          csv: maybe(csv),
          idempotencyKey: maybe(nasty),
        },
        { requiredKeys: ['partnerTenantId', 'customerTenantId', 'sourceChannel', 'licenses'] },
      ),
      `mutation($input: PlanChannelMoveInput!) { planChannelMove(input: $input) { userErrors { code field } workflow { id } } }`,
    );
  });

  it('planSubscriptionTransfer and signTransferForm', async () => {
    const contact = fc.record(
      { name: nasty, email: fc.oneof(fc.emailAddress(), nasty), phone: maybe(nasty) },
      { requiredKeys: ['name', 'email'] },
    );
    await property(
      fc.record(
        {
          subscriptionId: idLike(),
          newPartnerTenantId: guidLike(),
          newPartnerMpnId: fc.oneof(fc.stringMatching(/^\d{3,11}$/), nasty),
          customerRequestReceivedAt: dateLike,
          customerRequestReference: maybe(nasty),
          partnerAdmins: fc.array(contact, { maxLength: 3 }),
          idempotencyKey: maybe(nasty),
        },
        {
          requiredKeys: [
            'subscriptionId',
            'newPartnerTenantId',
            'newPartnerMpnId',
            'customerRequestReceivedAt',
            'partnerAdmins',
          ],
        },
      ),
      `mutation($input: PlanSubscriptionTransferInput!) { planSubscriptionTransfer(input: $input) { userErrors { code field } workflow { id } } }`,
    );
    await property(
      fc.record({
        transferId: idLike(),
        party: mostly(
          fc.constantFrom('CUSTOMER', 'NEW_PARTNER', 'CURRENT_PARTNER'),
          fc.constant('X'),
        ),
        signerName: nasty,
        signerEmail: fc.oneof(nasty, fc.constant('not-an-email')),
      }),
      `mutation($input: SignTransferFormInput!) { signTransferForm(input: $input) { userErrors { code field } } }`,
      12,
    );
  });

  it('exports', async () => {
    const format = mostly(fc.constantFrom('CSV', 'XLSX'), fc.constant('PDF'));
    await property(
      fc.record({ workflowId: idLike(), format }),
      `mutation($input: ExportConsolidationInventoryInput!) { exportConsolidationInventory(input: $input) { userErrors { code } export { url } } }`,
      8,
    );
    await property(
      fc.record({ workflowId: idLike(), format }),
      `mutation($input: ExportChannelMovePlanInput!) { exportChannelMovePlan(input: $input) { userErrors { code } export { url } } }`,
      8,
    );
    await property(
      fc.record({ customerId: idLike(), format }),
      `mutation($input: ExportAzureReconciliationInput!) { exportAzureReconciliation(input: $input) { userErrors { code } export { url } } }`,
      8,
    );
    await property(
      fc.record(
        { partnerTenantId: idLike(), customerId: maybe(idLike()), format },
        { requiredKeys: ['partnerTenantId', 'format'] },
      ),
      `mutation($input: ExportSubscriptionsInput!) { exportSubscriptions(input: $input) { userErrors { code } export { url } } }`,
      8,
    );
    await property(
      fc.record({
        format,
        filter: maybe(
          fc.record({
            from: maybe(dateLike),
            to: maybe(dateLike),
            customerSearch: maybe(nasty),
            workflowId: maybe(idLike()),
          }),
        ),
      }),
      `mutation($input: ExportActivityLogInput!) { exportActivityLog(input: $input) { userErrors { code } export { url } } }`,
      8,
    );
  });

  // Runs last (vitest keeps declaration order): the properties above must have exercised services.
  it('reached the services with most inputs, not only the GraphQL input coercion', () => {
    expect(reachedServices).toBeGreaterThan(calls / 2);
  });
});
