import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from 'partner-center-emulator';
import { emulatorDirectorySource } from '../../server/modules/organizations/directory-source.js';
import { clockFrom } from '../../server/shared/clock.js';
import { type WorkflowItemRow } from '../../server/workflows/engine/engine.types.js';
import {
  SimulatedCrash,
  type JournalPoint,
} from '../../server/workflows/engine/simulated-crash.js';
import {
  PC_BASE_URL,
  playUntil,
  startTestApp,
  type TestApp,
  type TestAppOptions,
} from '../support/app.js';
import { pcGet, transferState, type PcSub } from '../support/transfer.js';

// Issue 15 item 3, the incoming side: our organization (Contoso) is the NEW partner of a customer
// whose Azure plan is at Fabrikam, a partner this server does not serve. We create the transfer,
// Fabrikam accepts (or not) in its own Partner Center (the emulator's control API plays it).

const PLAN = /* GraphQL */ `
  mutation Plan($input: PlanIncomingAzurePlanTransferInput!) {
    planIncomingAzurePlanTransfer(input: $input) {
      userErrors {
        code
        message
        field
      }
      workflow {
        id
        status
        blockers {
          code
          message
        }
      }
    }
  }
`;
const START =
  'mutation($id: ID!) { startWorkflow(input: { id: $id }) { userErrors { code message } } }';

interface Sub extends PcSub {
  transferId?: string;
  productType?: { id: string };
}
interface Planned {
  userErrors: Array<{ code: string; field: string[] }>;
  workflow: { id: string; status: string; blockers: Array<{ code: string }> } | null;
}

describe('incoming Azure plan transfer: we are the new partner (issue 15 item 3)', () => {
  let emulator: Emulator;
  let t: TestApp;

  beforeEach(async () => {
    emulator = createEmulator({
      seed: 5,
      scenario: {
        extends: 'demo-today',
        customers: [
          {
            key: 'incoming',
            companyName: 'Incoming Cloud Ltd',
            country: 'GB',
            labels: ['incoming'],
            azurePlan: true,
            relationships: [{ partner: 'fabrikam-uk' }, { partner: 'contoso-eu' }],
            subscriptions: [{ partner: 'fabrikam-uk', offer: 'azure-plan' }],
          },
          {
            key: 'unrelated',
            companyName: 'Not Ours Ltd',
            country: 'GB',
            labels: ['unrelated'],
            azurePlan: true,
            relationships: [{ partner: 'fabrikam-uk' }],
            subscriptions: [{ partner: 'fabrikam-uk', offer: 'azure-plan' }],
          },
        ],
      },
    });
    t = await app();
  });
  afterEach(async () => {
    await t.close();
  });

  const app = (options: { databaseUrl?: string; crashHook?: TestAppOptions['runner'] } = {}) => {
    const all = emulatorDirectorySource({ emulatorUrl: PC_BASE_URL, fetch: emulator.fetch });
    return startTestApp({
      emulator,
      clock: clockFrom(emulator.clock),
      env: {
        WORKFLOW_RUNNER: 'off',
        ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
      },
      runner: { retryBaseMs: 1, retryMaxMs: 5, leaseMs: 200, ...options.crashHook },
      // Fabrikam is "another partner not served here".
      directory: {
        kind: 'emulator',
        load: async () => (await all.load()).filter((o) => !/fabrikam/i.test(o.name)),
      },
    });
  };

  const world = async (label = 'incoming') => {
    const partners = emulator.control.partners();
    const fabrikam = partners.find((p) => p.name === 'Fabrikam Partners UK')!;
    const contoso = partners.find((p) => p.name === 'Contoso Cloud Europe')!;
    const customer = emulator.control.customers().find((c) => c.labels.includes(label))!;
    const token = await t.token(contoso.organizationId);
    const tenants = (
      await t.gql<{
        viewer: { organization: { partnerTenants: Array<{ id: string; tenantId: string }> } };
      }>('{ viewer { organization { partnerTenants { id tenantId } } } }', { token })
    ).body.data!.viewer.organization.partnerTenants;
    const input = {
      partnerTenantId: tenants.find((x) => x.tenantId === contoso.tenantId)!.id,
      customerTenantId: customer.tenantId,
      currentPartnerTenantId: fabrikam.tenantId,
      currentPartnerName: 'Fabrikam Partners UK',
    };
    return { fabrikam, contoso, customer, token, input };
  };
  const plan = async (token: string, input: Record<string, unknown>) =>
    (await t.gql<{ planIncomingAzurePlanTransfer: Planned }>(PLAN, { token, variables: { input } }))
      .body.data!.planIncomingAzurePlanTransfer;
  const start = async (token: string, id: string) => {
    const res = await t.gql<{ startWorkflow: { userErrors: unknown[] } }>(START, {
      token,
      variables: { id },
    });
    expect(res.body.data?.startWorkflow.userErrors).toEqual([]);
  };
  const control = (path: string) =>
    emulator.fetch(`${PC_BASE_URL}/_emulator${path}`, { method: 'POST' });
  const transfersOf = (customerTenantId: string) =>
    emulator.control.transfers().filter((x) => x.customerTenantId === customerTenantId);
  const writes = () =>
    emulator.control.requests().filter((e) => !['GET', 'HEAD'].includes(e.method)).length;
  const roles = async (tenantId: string, azureId: string) => {
    const res = await emulator.fetch(
      `https://management.azure.com/subscriptions/${azureId}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01`,
      { headers: { authorization: `Bearer ${emulator.tokenFor(tenantId)}` } },
    );
    return (
      (await res.json()) as { value: Array<{ properties: { principalId: string } }> }
    ).value.map((r) => r.properties.principalId);
  };

  it(
    'creates the transfer as the new partner; once the other partner accepts, the plan is ours and its access is gone',
    { timeout: 120_000 },
    async () => {
      const { fabrikam, contoso, customer, token, input } = await world();
      const oldPlan = (
        await pcGet<{ items: Sub[] }>(
          emulator,
          fabrikam.tenantId,
          `/customers/${customer.tenantId}/subscriptions`,
        )
      ).body.items.find((s) => s.productType?.id === 'Azure')!;
      const planned = await plan(token, input);
      expect(planned.userErrors).toEqual([]);
      expect(planned.workflow?.blockers).toEqual([]);
      const id = planned.workflow!.id;
      await start(token, id);
      await t.app.runner.drain();
      // Exactly one request, created by us (the target) with Fabrikam as its source.
      const [created, ...more] = transfersOf(customer.tenantId);
      expect(more).toEqual([]);
      expect(created?.status).toBe('Pending');
      expect(created?.sourcePartnerTenantId).toBe(fabrikam.tenantId);
      expect(created?.targetPartnerTenantId).toBe(contoso.tenantId);
      const waiting = await transferState(t, token, id);
      expect(waiting.waitingReason).toContain('Fabrikam Partners UK');
      expect(waiting.direction).toBe('INCOMING');
      // Fabrikam accepts in its own Partner Center.
      expect((await control(`/transfers/${created!.id}/accept`)).status).toBe(200);
      await playUntil(t, emulator, async () =>
        ['COMPLETED', 'FAILED', 'BLOCKED'].includes((await transferState(t, token, id)).status),
      );
      const state = await transferState(t, token, id);
      expect(
        state.status,
        JSON.stringify([
          state.waitingReason,
          state.blockers,
          state.events.edges.map((e) => e.node.message),
        ]),
      ).toBe('COMPLETED');
      const atUs = (
        await pcGet<{ items: Sub[] }>(
          emulator,
          contoso.tenantId,
          `/customers/${customer.tenantId}/subscriptions`,
        )
      ).body.items.filter((s) => s.transferId === created!.id);
      expect(atUs).toHaveLength(1);
      expect(atUs[0]?.status).toBe('active');
      expect(state.newSubscriptionId).toBe(atUs[0]!.id);
      expect(state.state).toBe('DONE');
      expect(state.blockers).toEqual([]);
      const old = (
        await pcGet<Sub>(
          emulator,
          fabrikam.tenantId,
          `/customers/${customer.tenantId}/subscriptions/${oldPlan.id}`,
        )
      ).body;
      expect(old.status).not.toBe('active');
      // Old id → new id recorded in the events.
      expect(state.events.edges.map((e) => e.node.message).join('\n')).toContain(
        `${oldPlan.id} at Fabrikam Partners UK → ${atUs[0]!.id}`,
      );
      // R-TRF-8 as the new partner: our Admin Agents are Owner, Fabrikam's assignments removed.
      const azure = (
        await pcGet<{ items: Array<{ id: string }> }>(
          emulator,
          contoso.tenantId,
          `/customers/${customer.tenantId}/subscriptions/${atUs[0]!.id}/azureEntitlements`,
        )
      ).body.items;
      expect(azure.length).toBeGreaterThan(0);
      for (const a of azure) {
        const principals = await roles(contoso.tenantId, a.id);
        expect(principals).toContain(contoso.adminAgentsGroupId);
        expect(principals).not.toContain(fabrikam.adminAgentsGroupId);
      }
      expect(state.removedRoleAssignments.length).toBeGreaterThan(0);
    },
  );

  it(
    'a request the other partner lets expire is a visible blocker; nothing moved',
    { timeout: 120_000 },
    async () => {
      const { fabrikam, customer, token, input } = await world();
      // demo-today plays Fabrikam accepting after 24 h: here it never answers.
      const never = await emulator.fetch(
        `${PC_BASE_URL}/_emulator/partners/${fabrikam.tenantId}/autopilot`,
        {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ acceptTransfers: 'never' }),
        },
      );
      expect(never.status).toBe(200);
      const planned = await plan(token, input);
      const id = planned.workflow!.id;
      await start(token, id);
      await t.app.runner.drain();
      await playUntil(
        t,
        emulator,
        async () => (await transferState(t, token, id)).state === 'BLOCKED',
        { step: 'P1D', maxSteps: 40 },
      );
      const state = await transferState(t, token, id);
      // The engine ends a workflow whose only item is blocked with that blocker open.
      expect(state.state).toBe('BLOCKED');
      expect(state.blockers.map((b) => b.code)).toEqual(['INCOMING_TRANSFER_EXPIRED']);
      expect(state.blockers[0]?.message).toContain('Fabrikam Partners UK');
      expect(transfersOf(customer.tenantId).map((x) => x.status)).toEqual(['Expired']);
    },
  );

  it('a request the other partner rejects is a blocker', { timeout: 120_000 }, async () => {
    const { customer, token, input } = await world();
    const id = (await plan(token, input)).workflow!.id;
    await start(token, id);
    await t.app.runner.drain();
    const [created] = transfersOf(customer.tenantId);
    expect((await control(`/transfers/${created!.id}/reject`)).status).toBe(200);
    await playUntil(
      t,
      emulator,
      async () => (await transferState(t, token, id)).state === 'BLOCKED',
    );
    const state = await transferState(t, token, id);
    expect(state.state).toBe('BLOCKED');
    expect(state.blockers.map((b) => b.code)).toEqual(['TRANSFER_CANCELED']);
    expect(state.blockers[0]?.message).toContain('Reject');
  });

  it(
    'a crash right after the create leaves exactly one transfer',
    { timeout: 120_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'incoming-transfer-'));
      try {
        const databaseUrl = join(dir, 'crash.db');
        let killed = false;
        const crashHook = (point: JournalPoint, item: WorkflowItemRow) => {
          if (!killed && point === 'after-call' && item.step === 'in_create') {
            killed = true;
            throw new SimulatedCrash(point);
          }
        };
        const first = await app({ databaseUrl, crashHook: { crashHook } });
        const { customer, contoso, input } = await world();
        const token = await first.token(contoso.organizationId);
        const planned = (
          await first.gql<{ planIncomingAzurePlanTransfer: Planned }>(PLAN, {
            token,
            variables: { input },
          })
        ).body.data!.planIncomingAzurePlanTransfer;
        const id = planned.workflow!.id;
        await first.gql(START, { token, variables: { id } });
        await expect(first.app.runner.drain()).rejects.toBeInstanceOf(SimulatedCrash);
        expect(killed).toBe(true);
        await first.close();
        // Created in Partner Center; our journal has only its intent.
        expect(transfersOf(customer.tenantId)).toHaveLength(1);
        await new Promise((r) => setTimeout(r, 250)); // the dead process's leases expire
        const second = await app({ databaseUrl });
        try {
          await second.app.runner.drain();
          expect(transfersOf(customer.tenantId)).toHaveLength(1);
          expect((await transferState(second, token, id)).state).toBe('AWAITING_ACCEPTANCE');
        } finally {
          await second.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it('pre-flight: no reseller relationship is a blocker; a pending transfer is a blocker', async () => {
    const w = await world('unrelated');
    const noRel = await plan(w.token, w.input);
    expect(noRel.workflow?.blockers.map((b) => b.code)).toContain('NO_RESELLER_RELATIONSHIP');
    const { token, input } = await world();
    const first = (await plan(token, input)).workflow!.id;
    await start(token, first);
    await t.app.runner.drain();
    const second = await plan(token, { ...input, idempotencyKey: 'again' });
    expect(second.workflow?.blockers.map((b) => b.code)).toEqual(
      expect.arrayContaining(['TRANSFER_ALREADY_PENDING', 'TRANSFER_ALREADY_OPEN']),
    );
  });

  it('bad input is a userError with its field and no Partner Center write', async () => {
    const { fabrikam, contoso, token, input } = await world();
    const before = writes();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...input, currentPartnerTenantId: contoso.tenantId }, 'currentPartnerTenantId'],
      [{ ...input, customerTenantId: 'not-a-guid' }, 'customerTenantId'],
      [
        { ...input, currentPartnerTenantId: `${fabrikam.tenantId}\u0000` },
        'currentPartnerTenantId',
      ],
      [{ ...input, currentPartnerName: 'x'.repeat(1000) }, 'currentPartnerName'],
      [{ ...input, partnerTenantId: 'UGFydG5lclRlbmFudDp4' }, 'partnerTenantId'],
    ];
    for (const [bad, field] of cases) {
      const res = await plan(token, bad);
      expect(res.workflow).toBeNull();
      expect(res.userErrors[0]?.field).toEqual(['input', field]);
    }
    expect(writes()).toBe(before);
    const count = await t.gql<{ workflows: { totalCount: number } }>(
      '{ workflows(first: 1) { totalCount } }',
      { token },
    );
    expect(count.body.data?.workflows.totalCount).toBe(0);
  });
});
