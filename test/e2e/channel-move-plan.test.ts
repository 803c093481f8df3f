import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from 'partner-center-emulator';
import { clockFrom } from '../../server/shared/clock.js';
import { startTestApp, type TestApp } from '../support/app.js';
import {
  channelMoveDemo,
  channelMoveState,
  planChannelMove,
  startWorkflow,
} from '../support/channel-move.js';
import { PLAN_CONSOLIDATION } from '../support/consolidation.js';

// planChannelMove over GraphQL against the demo scenario: the dry run's rules (R-CHN-3, 5, 6, 7,
// seat bounds), input and CSV validation. Planning never changes Partner Center.

describe('planChannelMove', () => {
  let emulator: Emulator;
  let t: TestApp;
  let demo: Awaited<ReturnType<typeof channelMoveDemo>>;

  beforeAll(async () => {
    emulator = createEmulator({ scenario: 'demo', seed: 3 });
    t = await startTestApp({
      emulator,
      clock: clockFrom(emulator.clock),
      env: { WORKFLOW_RUNNER: 'off' },
    });
    demo = await channelMoveDemo(t, emulator);
  });

  afterAll(async () => {
    await t.close();
  });

  const base = () => ({
    partnerTenantId: demo.partner.id,
    customerTenantId: demo.inRegion.tenantId,
    customerCountry: demo.inRegion.country,
    sourceChannel: 'OTHER_PARTNER',
  });

  async function channelMoveCount(): Promise<number> {
    const res = await t.gql<{ workflows: { totalCount: number } }>(
      '{ workflows(kind: CHANNEL_MOVE, first: 100) { totalCount } }',
      { token: demo.token },
    );
    return res.body.data?.workflows.totalCount ?? -1;
  }

  it('same offer, equivalent successor and no equivalent: a dry run with line blockers only', async () => {
    const before = JSON.stringify(emulator.control.state());
    const { e3, discontinued, successor } = demo.offers;
    const planned = await planChannelMove(t, demo.token, {
      ...base(),
      customerName: 'Rhein (as typed)',
      licenses: [
        { offerId: e3.id, seats: 30, expiresOn: '2026-03-31T00:00:00Z' },
        { offerId: discontinued.id.toLowerCase(), seats: 12, expiresOn: '2026-04-15T00:00:00Z' },
        { offerId: 'EA-PROPLUS-ONLY', seats: 5, expiresOn: '2026-04-15T00:00:00Z' },
      ],
    });
    expect(planned.userErrors).toEqual([]);
    expect(planned.workflow?.status).toBe('DRAFT');
    expect(JSON.stringify(emulator.control.state())).toBe(before);

    const state = await channelMoveState(t, demo.token, planned.workflow?.id as string);
    expect(state.kind).toBe('CHANNEL_MOVE');
    expect(state.customer).toMatchObject({
      tenantId: demo.inRegion.tenantId,
      companyName: 'Rhein (as typed)',
      country: demo.inRegion.country,
      relationship: 'NONE',
      partnerTenant: { tenantId: demo.partner.tenantId },
    });
    const [same, equivalent, none] = state.lines;
    // R-CHN-5: the same offer, no reassignment.
    expect(same).toMatchObject({
      lineNumber: 1,
      targetOfferId: e3.id,
      equivalentOffer: false,
      licenseReassignmentRequired: false,
      recommendedAction: 'LET_EXPIRE',
      state: 'PLANNED',
    });
    // R-CHN-6: the discontinued offer's successor, with license reassignment.
    expect(equivalent).toMatchObject({
      targetOfferId: successor.id,
      targetOfferName: successor.name,
      equivalentOffer: true,
      licenseReassignmentRequired: true,
    });
    expect(none).toMatchObject({ targetOfferId: null, state: 'BLOCKED', subject: 'line:3' });
    // Only the unmovable line is blocked; the workflow itself may start.
    expect(state.blockers.map((b) => [b.code, b.subject])).toEqual([
      ['NO_EQUIVALENT_OFFER', 'line:3'],
    ]);
    expect(state.events.edges.map((e) => e.node.type)).toContain('PLANNED');
  });

  it('R-CHN-7: a customer outside the partner tenant’s region blocks the whole move', async () => {
    const planned = await planChannelMove(t, demo.token, {
      ...base(),
      customerTenantId: demo.outOfRegion.tenantId,
      customerCountry: demo.outOfRegion.country,
      licenses: [{ offerId: demo.offers.e3.id, seats: 10, expiresOn: '2026-03-31T00:00:00Z' }],
    });
    expect(planned.userErrors).toEqual([]);
    const state = await channelMoveState(t, demo.token, planned.workflow?.id as string);
    const region = state.blockers.find((b) => b.code === 'REGION_MISMATCH');
    expect(region?.subject).toBeNull();
    expect(region?.message).toContain(demo.outOfRegion.country);
    const started = await startWorkflow(t, demo.token, state.id);
    expect(started?.userErrors[0]?.code).toBe('BLOCKED');
    expect((await channelMoveState(t, demo.token, state.id)).status).toBe('DRAFT');

    // The same customer declared in the partner's region is not blocked by the rule.
    const inRegion = await planChannelMove(t, demo.token, {
      ...base(),
      customerTenantId: demo.outOfRegion.tenantId,
      customerCountry: 'IE',
      licenses: [{ offerId: demo.offers.e3.id, seats: 10, expiresOn: '2026-03-31T00:00:00Z' }],
    });
    const other = await channelMoveState(t, demo.token, inRegion.workflow?.id as string);
    expect(other.blockers).toEqual([]);
  });

  it('seats outside the offer’s bounds block that line only', async () => {
    const { e3, discontinued, successor } = demo.offers;
    expect(successor.maximumQuantity).toBeLessThan(10_000);
    const planned = await planChannelMove(t, demo.token, {
      ...base(),
      licenses: [
        { offerId: e3.id, seats: 30, expiresOn: '2026-03-31T00:00:00Z' },
        // Bounds are the target offer's: the successor's maximum applies.
        {
          offerId: discontinued.id,
          seats: successor.maximumQuantity + 1,
          expiresOn: '2026-03-31T00:00:00Z',
        },
        {
          offerId: discontinued.id,
          seats: successor.maximumQuantity,
          expiresOn: '2026-03-31T00:00:00Z',
        },
      ],
    });
    const state = await channelMoveState(t, demo.token, planned.workflow?.id as string);
    expect(state.blockers.map((b) => [b.code, b.subject])).toEqual([
      ['SEATS_OUT_OF_BOUNDS', 'line:2'],
    ]);
    expect(state.lines.map((l) => l.state)).toEqual(['PLANNED', 'BLOCKED', 'PLANNED']);
    expect(state.blockers[0]?.message).toContain(`..${successor.maximumQuantity}`);
  });

  it('LET_EXPIRE cuts over just before the natural expiry; CANCEL at acceptance, with the R-CHN-3 warnings', async () => {
    const { e3, ems } = demo.offers;
    const planned = await planChannelMove(t, demo.token, {
      ...base(),
      sourceChannel: 'WEB_DIRECT',
      cutoverLeadDays: 3,
      licenses: [
        { offerId: e3.id, seats: 30, expiresOn: '2026-03-31T17:45:00Z' },
        { offerId: ems.id, seats: 10, expiresOn: '2026-06-30T00:00:00Z', action: 'CANCEL' },
        { offerId: ems.id, seats: 4 },
      ],
    });
    const state = await channelMoveState(t, demo.token, planned.workflow?.id as string);
    expect(state.cutoverLeadDays).toBe(3);
    const [letExpire, cancel, noExpiry] = state.lines;
    expect(letExpire?.recommendedAction).toBe('LET_EXPIRE');
    expect(letExpire?.cutoverAt).toBe('2026-03-28T00:00:00.000Z');
    expect(letExpire?.warnings).toEqual([]);
    expect(cancel?.recommendedAction).toBe('CANCEL');
    expect(cancel?.cutoverAt).toBeNull();
    expect(cancel?.warnings.join(' ')).toMatch(/not refunded/);
    expect(cancel?.warnings.join(' ')).toMatch(/billing support/);
    // LET_EXPIRE needs the expiry date to schedule the cut-over.
    expect(noExpiry?.state).toBe('BLOCKED');
    expect(state.blockers.map((b) => [b.code, b.subject])).toEqual([
      ['EXPIRY_DATE_REQUIRED', 'line:3'],
    ]);
    expect(
      state.events.edges.filter((e) => e.node.type === 'CANCEL_WARNING').map((e) => e.node.message),
    ).toEqual([expect.stringMatching(/not refunded/)]);

    // Default lead time: the day before, 00:00 UTC; another channel gets no Web Direct note.
    const byDefault = await planChannelMove(t, demo.token, {
      ...base(),
      licenses: [
        { offerId: e3.id, seats: 30, expiresOn: '2026-03-31T00:00:00Z' },
        { offerId: ems.id, seats: 10, action: 'CANCEL' },
      ],
    });
    const lines = (await channelMoveState(t, demo.token, byDefault.workflow?.id as string)).lines;
    expect(lines[0]?.cutoverAt).toBe('2026-03-30T00:00:00.000Z');
    expect(lines[1]?.warnings.join(' ')).not.toMatch(/billing support/);
  });

  it('reads the licenses from a CSV (columns in any order, extra columns ignored)', async () => {
    const { e3, discontinued } = demo.offers;
    const csv = [
      'Seats,OfferId,Product name,expiresOn,action',
      `30,${e3.id},"Office 365 E3, annual",2026-03-31,`,
      '',
      `12,${discontinued.id},O365 BP,2026-04-15,LET_EXPIRE`,
      `5,${e3.id},,,cancel`,
    ].join('\r\n');
    const planned = await planChannelMove(t, demo.token, { ...base(), licenses: [], csv });
    expect(planned.userErrors).toEqual([]);
    const state = await channelMoveState(t, demo.token, planned.workflow?.id as string);
    expect(state.lines.map((l) => [l.lineNumber, l.seats, l.recommendedAction])).toEqual([
      [2, 30, 'LET_EXPIRE'],
      [4, 12, 'LET_EXPIRE'],
      [5, 5, 'CANCEL'],
    ]);
    expect(state.lines[0]?.expiresOn).toBe('2026-03-31T00:00:00.000Z');
  });

  it('reports every bad CSV row by its line number and creates nothing', async () => {
    const before = await channelMoveCount();
    const csv = [
      'offerId,seats,expiresOn',
      `${demo.offers.e3.id},30,2026-03-31`,
      `${demo.offers.e3.id},thirty,2026-03-31`,
      `${demo.offers.e3.id},10,2026-02-31`,
      `,4,`,
      `${demo.offers.e3.id},5,2026-05-01`,
    ].join('\n');
    const planned = await planChannelMove(t, demo.token, { ...base(), licenses: [], csv });
    expect(planned.workflow).toBeNull();
    expect(planned.userErrors.map((e) => [e.code, e.field])).toEqual([
      ['CSV_INVALID', ['input', 'csv', '3']],
      ['CSV_INVALID', ['input', 'csv', '4']],
      ['CSV_INVALID', ['input', 'csv', '5']],
    ]);
    // The cell is named, its value not repeated (issue 17: a hostile cell never travels on).
    expect(planned.userErrors[0]?.message).toMatch(/line 3: seats is not a whole number/);
    expect(planned.userErrors[0]?.message).not.toContain('thirty');
    expect(planned.userErrors[1]?.message).toMatch(/line 4: expiresOn is not an ISO-8601 date/);
    expect(planned.userErrors[2]?.message).toMatch(/offerId is empty/);

    const noHeader = await planChannelMove(t, demo.token, {
      ...base(),
      licenses: [],
      csv: `${demo.offers.e3.id},30\n`,
    });
    expect(noHeader.userErrors[0]?.field).toEqual(['input', 'csv', '1']);
    expect(await channelMoveCount()).toBe(before);
  });

  it('refuses bad input as user errors with field paths, before any Partner Center call', async () => {
    emulator.control.clearRequests();
    const license = { offerId: demo.offers.e3.id, seats: 3, expiresOn: '2026-03-31T00:00:00Z' };
    const cases: Array<[Record<string, unknown>, string, string[]]> = [
      [{ customerCountry: null }, 'REQUIRED', ['input', 'customerCountry']],
      [{ customerCountry: 'XX' }, 'INVALID_COUNTRY', ['input', 'customerCountry']],
      [{ customerTenantId: 'not-a-guid' }, 'INVALID', ['input', 'customerTenantId']],
      [{ licenses: [] }, 'REQUIRED', ['input', 'licenses']],
      [{ licenses: [{ ...license, seats: 0 }] }, 'INVALID', ['input', 'licenses', '0', 'seats']],
      [{ csv: 'offerId,seats\nx,1' }, 'AMBIGUOUS_INPUT', ['input', 'csv']],
      [{ cutoverLeadDays: -1 }, 'INVALID', ['input', 'cutoverLeadDays']],
    ];
    for (const [patch, code, field] of cases) {
      const planned = await planChannelMove(t, demo.token, {
        ...base(),
        licenses: [license],
        ...patch,
      });
      expect(
        planned.userErrors.map((e) => [e.code, e.field]),
        JSON.stringify(patch),
      ).toEqual([[code, field]]);
    }
    expect(emulator.control.requests().filter((r) => r.path.startsWith('/v1'))).toEqual([]);
  });

  it('same idempotency key and input return the same draft; another input is refused', async () => {
    const input = {
      ...base(),
      idempotencyKey: 'chn-key-1',
      licenses: [{ offerId: demo.offers.e3.id, seats: 3, expiresOn: '2026-03-31T00:00:00Z' }],
    };
    const first = await planChannelMove(t, demo.token, input);
    const again = await planChannelMove(t, demo.token, input);
    expect(again.workflow?.id).toBe(first.workflow?.id);
    const other = await planChannelMove(t, demo.token, {
      ...input,
      licenses: [{ ...input.licenses[0], seats: 4 }],
    });
    expect(other.userErrors[0]?.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });
});

describe('planChannelMove guards against double work', () => {
  let emulator: Emulator;
  let t: TestApp;
  let demo: Awaited<ReturnType<typeof channelMoveDemo>>;

  beforeAll(async () => {
    emulator = createEmulator({ scenario: 'demo', seed: 4 });
    t = await startTestApp({
      emulator,
      clock: clockFrom(emulator.clock),
      env: { WORKFLOW_RUNNER: 'off' },
    });
    demo = await channelMoveDemo(t, emulator);
  });

  afterAll(async () => {
    await t.close();
  });

  it('R-CON-7: no move into a tenant that is the source of a running consolidation of the customer', async () => {
    const central = emulator.control.partners().find((p) => p.labels.includes('central'));
    const tenants = await t.gql<{
      viewer: { organization: { partnerTenants: Array<{ id: string; tenantId: string }> } };
    }>('{ viewer { organization { partnerTenants { id tenantId } } } }', { token: demo.token });
    const target = tenants.body.data?.viewer.organization.partnerTenants.find(
      (p) => p.tenantId === central?.tenantId,
    );
    const customers = await t.gql<{
      customers: { edges: Array<{ node: { id: string; tenantId: string; country: string } }> };
    }>(
      'query($id: ID!) { customers(partnerTenantId: $id, first: 100) { edges { node { id tenantId country } } } }',
      { token: demo.token, variables: { id: demo.partner.id } },
    );
    const customer = customers.body.data?.customers.edges.find((e) => e.node.country === 'FR')
      ?.node as { id: string; tenantId: string; country: string };
    const consolidation = await t.gql<{
      planTenantConsolidation: { workflow: { id: string } | null };
    }>(PLAN_CONSOLIDATION, {
      token: demo.token,
      variables: {
        input: {
          sourcePartnerTenantIds: [demo.partner.id],
          targetPartnerTenantId: target?.id,
          customerIds: [customer.id],
        },
      },
    });
    const consolidationId = consolidation.body.data?.planTenantConsolidation.workflow?.id as string;
    const move = {
      partnerTenantId: demo.partner.id,
      customerTenantId: customer.tenantId,
      customerCountry: customer.country,
      sourceChannel: 'WEB_DIRECT',
      licenses: [{ offerId: demo.offers.e3.id, seats: 2, expiresOn: '2026-03-31T00:00:00Z' }],
    };
    // A planned (not started) consolidation holds nothing.
    const beforeStart = await planChannelMove(t, demo.token, move);
    const draft = await channelMoveState(t, demo.token, beforeStart.workflow?.id as string);
    expect(draft.blockers.map((b) => b.code)).not.toContain('SOURCE_OF_CONSOLIDATION');
    // An existing customer of the tenant: no relationship request needed, Partner Center's name.
    expect(draft.customer.relationship).toBe('RESELLER');
    expect(draft.customer.companyName).not.toBe(customer.tenantId);
    expect(draft.events.edges[0]?.node.message).toMatch(/relationship already exists/);

    expect((await startWorkflow(t, demo.token, consolidationId))?.userErrors).toEqual([]);
    const planned = await planChannelMove(t, demo.token, move);
    const state = await channelMoveState(t, demo.token, planned.workflow?.id as string);
    const blocker = state.blockers.find((b) => b.code === 'SOURCE_OF_CONSOLIDATION');
    expect(blocker?.subject).toBeNull();
    expect((await startWorkflow(t, demo.token, state.id))?.userErrors[0]?.code).toBe('BLOCKED');
  });

  it('licenses.expiresOn accepts a date alone (00:00 UTC), as the CSV does; an impossible date is refused', async () => {
    const move = (expiresOn: string) => ({
      partnerTenantId: demo.partner.id,
      customerTenantId: demo.inRegion.tenantId,
      customerCountry: demo.inRegion.country,
      sourceChannel: 'OTHER_PARTNER',
      licenses: [{ offerId: demo.offers.e3.id, seats: 2, expiresOn }],
    });
    const planned = await planChannelMove(t, demo.token, move('2026-03-31'));
    expect(planned.userErrors).toEqual([]);
    const state = await channelMoveState(t, demo.token, planned.workflow?.id as string);
    expect(state.lines[0]?.expiresOn).toBe('2026-03-31T00:00:00.000Z');
    const refused = await t.gql(
      'mutation($input: PlanChannelMoveInput!) { planChannelMove(input: $input) { workflow { id } } }',
      { token: demo.token, variables: { input: move('2026-02-30') } },
    );
    expect(refused.body.errors?.[0]?.message).toMatch(/invalid date 2026-02-30/);
  });

  it('one running move per customer and partner tenant', async () => {
    const move = {
      partnerTenantId: demo.partner.id,
      customerTenantId: demo.inRegion.tenantId,
      customerCountry: demo.inRegion.country,
      sourceChannel: 'OTHER_PARTNER',
      licenses: [{ offerId: demo.offers.e3.id, seats: 2, expiresOn: '2026-03-31T00:00:00Z' }],
    };
    const first = await planChannelMove(t, demo.token, move);
    const second = await planChannelMove(t, demo.token, move);
    expect((await startWorkflow(t, demo.token, first.workflow?.id as string))?.userErrors).toEqual(
      [],
    );
    // The draft planned before the first started is refused at start…
    const refused = await startWorkflow(t, demo.token, second.workflow?.id as string);
    expect(refused?.userErrors[0]?.code).toBe('ALREADY_MOVING');
    // …and a new plan shows it as a blocker.
    const third = await planChannelMove(t, demo.token, move);
    const state = await channelMoveState(t, demo.token, third.workflow?.id as string);
    expect(state.blockers.map((b) => b.code)).toContain('ALREADY_MOVING');
  });
});
