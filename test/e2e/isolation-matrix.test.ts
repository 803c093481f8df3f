import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createEmulator, type Emulator } from 'partner-center-emulator';
import {
  emulatorDirectorySource,
  type DirectorySource,
} from '../../server/modules/organizations/directory-source.js';
import { clockFrom } from '../../server/shared/clock.js';
import { PartnerRole } from '../../server/shared/enums.js';
import { encodeId } from '../../server/shared/ids.js';
import { PC_BASE_URL, startTestApp, type TestApp } from '../support/app.js';
import { PLAN_CONSOLIDATION } from '../support/consolidation.js';
import { ADMINS, demoTransfer, TRANSFER_STATE } from '../support/transfer.js';

// Issue 8, the isolation matrix: for every query, mutation, subscription, export URL, PDF URL and
// signing link, a caller of another organization gets nothing (null / NOT_FOUND, never a FORBIDDEN
// that confirms existence), and each role of the owning organization gets what ARCHITECTURE.md
// allows: customers for GLOBAL_ADMIN, ADMIN_AGENT and SALES_AGENT; changes in Partner Center
// (start, cancel, retry, sign, order) for GLOBAL_ADMIN and ADMIN_AGENT (R-CON-10); reads of the
// organization's own workflows and dry-run plans for every role.

const OUTSIDER = 'org-outsider';

/** The emulator's organizations plus one that has no tenant at all. */
function directoryWithOutsider(emulator: Emulator): DirectorySource {
  const inner = emulatorDirectorySource({ emulatorUrl: PC_BASE_URL, fetch: emulator.fetch });
  return {
    kind: 'emulator',
    async load() {
      return [...(await inner.load()), { id: OUTSIDER, name: 'Outsider Ltd', tenants: [] }];
    },
  };
}

interface Fixture {
  workflows: Record<'consolidation' | 'azure' | 'channel' | 'transfer', string>;
  customerGid: string;
  subscriptionGid: string;
  tenantGid: string;
  sourceTenantGids: string[];
  exportUrls: string[];
  pdfUrl: string;
  signingUrls: string[];
}

describe('isolation matrix', () => {
  let emulator: Emulator;
  let t: TestApp;
  let ownerToken: string;
  let outsiderToken: string;
  let organizationId: string;
  const fx = {} as Fixture;

  const data = async <T>(query: string, variables: Record<string, unknown>, token: string) => {
    const res = await t.gql<T>(query, { token, variables });
    return res;
  };
  const local = (url: string) => {
    const u = new URL(url);
    return `${t.http.url}${u.pathname}${u.search}`;
  };

  beforeAll(async () => {
    emulator = createEmulator({ scenario: 'demo', seed: 7 });
    t = await startTestApp({
      emulator,
      directory: directoryWithOutsider(emulator),
      clock: clockFrom(emulator.clock),
      env: { WORKFLOW_RUNNER: 'off' },
    });
    const partners = emulator.control.partners();
    const central = partners.find((p) => p.labels.includes('central'))!;
    organizationId = central.organizationId;
    ownerToken = await t.token(organizationId);
    outsiderToken = await t.token(OUTSIDER);
    const tenants = (
      await data<{
        viewer: { organization: { partnerTenants: Array<{ id: string; tenantId: string }> } };
      }>('{ viewer { organization { partnerTenants { id tenantId } } } }', {}, ownerToken)
    ).body.data!.viewer.organization.partnerTenants;
    const gid = (tenantId: string) => tenants.find((x) => x.tenantId === tenantId)!.id;
    fx.tenantGid = gid(central.tenantId);
    fx.sourceTenantGids = partners
      .filter((p) => p.labels.includes('regional') && p.organizationId === organizationId)
      .map((p) => gid(p.tenantId));

    const plan = async (mutation: string, input: Record<string, unknown>, token = ownerToken) => {
      const res = await data<
        Record<string, { workflow: { id: string } | null; userErrors: unknown[] }>
      >(mutation, { input }, token);
      const payload = Object.values(res.body.data ?? {})[0];
      if (!payload?.workflow) {
        throw new Error(JSON.stringify(res.body));
      }
      return payload.workflow.id;
    };
    fx.workflows = {} as Fixture['workflows'];
    fx.workflows.consolidation = await plan(PLAN_CONSOLIDATION, {
      sourcePartnerTenantIds: fx.sourceTenantGids,
      targetPartnerTenantId: fx.tenantGid,
    });
    const alpine = emulator.control
      .customers()
      .find((c) => c.companyName.startsWith('Alpine Foods'))!;
    fx.customerGid = encodeId(
      'Customer',
      alpine.relationships[0]!.partnerTenantId,
      alpine.tenantId,
    );
    fx.workflows.azure = await plan(
      `mutation($input: PlanAzurePlanTransitionInput!) { planAzurePlanTransition(input: $input) { userErrors { code } workflow { id } } }`,
      { customerId: fx.customerGid },
    );
    const prospect = emulator.control
      .customers()
      .find((c) => c.labels.includes('prospect-in-region'))!;
    const e3 = emulator.control.offers().find((o) => o.alias === 'office365-e3')!;
    fx.workflows.channel = await plan(
      `mutation($input: PlanChannelMoveInput!) { planChannelMove(input: $input) { userErrors { code } workflow { id } } }`,
      {
        partnerTenantId: fx.tenantGid,
        customerTenantId: prospect.tenantId,
        customerCountry: prospect.country,
        sourceChannel: 'OTHER_PARTNER',
        licenses: [{ offerId: e3.id, seats: 3, expiresOn: '2026-02-01T00:00:00Z' }],
      },
    );
    const transfer = await demoTransfer(emulator);
    expect(transfer.organizationId).toBe(organizationId);
    fx.subscriptionGid = transfer.subscriptionGid;
    fx.workflows.transfer = await plan(
      `mutation($input: PlanSubscriptionTransferInput!) { planSubscriptionTransfer(input: $input) { userErrors { code } workflow { id } } }`,
      {
        subscriptionId: transfer.subscriptionGid,
        newPartnerTenantId: transfer.target.tenantId,
        newPartnerMpnId: transfer.target.mpnId,
        customerRequestReceivedAt: '2026-01-02T10:00:00Z',
        partnerAdmins: ADMINS,
      },
    );
    const form = (
      await data<{ node: { form: { pdfUrl: string; signingLinks: Array<{ url: string }> } } }>(
        TRANSFER_STATE,
        { id: fx.workflows.transfer },
        ownerToken,
      )
    ).body.data!.node.form;
    fx.pdfUrl = form.pdfUrl;
    fx.signingUrls = form.signingLinks.map((l) => l.url);

    const exportOf = async (mutation: string, input: Record<string, unknown>) => {
      const res = await data<
        Record<string, { export: { url: string } | null; userErrors: unknown[] }>
      >(mutation, { input }, ownerToken);
      const payload = Object.values(res.body.data ?? {})[0];
      if (!payload?.export) {
        throw new Error(JSON.stringify(res.body));
      }
      return payload.export.url;
    };
    fx.exportUrls = [
      await exportOf(EXPORTS.activity, { format: 'CSV' }),
      await exportOf(EXPORTS.consolidation, {
        format: 'CSV',
        workflowId: fx.workflows.consolidation,
      }),
      await exportOf(EXPORTS.subscriptions, { format: 'CSV', partnerTenantId: fx.tenantGid }),
      await exportOf(EXPORTS.channel, { format: 'XLSX', workflowId: fx.workflows.channel }),
      await exportOf(EXPORTS.azure, { format: 'CSV', customerId: fx.customerGid }),
    ];
  });

  afterAll(async () => {
    await t.close();
  });

  const EXPORTS = {
    activity: `mutation($input: ExportActivityLogInput!) { exportActivityLog(input: $input) { userErrors { code } export { url } } }`,
    consolidation: `mutation($input: ExportConsolidationInventoryInput!) { exportConsolidationInventory(input: $input) { userErrors { code } export { url } } }`,
    subscriptions: `mutation($input: ExportSubscriptionsInput!) { exportSubscriptions(input: $input) { userErrors { code } export { url } } }`,
    customers: `mutation($input: ExportCustomersInput!) { exportCustomers(input: $input) { userErrors { code } export { url } } }`,
    channel: `mutation($input: ExportChannelMovePlanInput!) { exportChannelMovePlan(input: $input) { userErrors { code } export { url } } }`,
    azure: `mutation($input: ExportAzureReconciliationInput!) { exportAzureReconciliation(input: $input) { userErrors { code } export { url } } }`,
  };

  /** Every mutation, aimed at the owner's objects; the outsider must get NOT_FOUND. */
  const foreignMutations = (): Array<[string, string, Record<string, unknown>]> => [
    ...(['startWorkflow', 'cancelWorkflow', 'retryWorkflow'] as const).flatMap((m) =>
      Object.values(fx.workflows).map(
        (id) =>
          [
            `${m} ${id.slice(0, 12)}`,
            `mutation($input: WorkflowIdInput!) { ${m}(input: $input) { userErrors { code field } workflow { id } } }`,
            { id },
          ] as [string, string, Record<string, unknown>],
      ),
    ),
    [
      'signTransferForm',
      `mutation($input: SignTransferFormInput!) { signTransferForm(input: $input) { userErrors { code } workflow { id } } }`,
      {
        transferId: fx.workflows.transfer,
        party: 'CURRENT_PARTNER',
        signerName: 'X',
        signerEmail: 'x@outsider.example',
      },
    ],
    [
      'exportConsolidationInventory',
      EXPORTS.consolidation,
      { format: 'CSV', workflowId: fx.workflows.consolidation },
    ],
    ['exportChannelMovePlan', EXPORTS.channel, { format: 'CSV', workflowId: fx.workflows.channel }],
    ['exportAzureReconciliation', EXPORTS.azure, { format: 'CSV', customerId: fx.customerGid }],
    [
      'exportSubscriptions',
      EXPORTS.subscriptions,
      { format: 'CSV', partnerTenantId: fx.tenantGid },
    ],
    ['exportCustomers', EXPORTS.customers, { format: 'CSV', partnerTenantId: fx.tenantGid }],
    [
      'planTenantConsolidation',
      PLAN_CONSOLIDATION,
      { sourcePartnerTenantIds: fx.sourceTenantGids, targetPartnerTenantId: fx.tenantGid },
    ],
    [
      'planAzurePlanTransition',
      `mutation($input: PlanAzurePlanTransitionInput!) { planAzurePlanTransition(input: $input) { userErrors { code } workflow { id } } }`,
      { customerId: fx.customerGid },
    ],
    [
      'planChannelMove',
      `mutation($input: PlanChannelMoveInput!) { planChannelMove(input: $input) { userErrors { code } workflow { id } } }`,
      {
        partnerTenantId: fx.tenantGid,
        customerTenantId: '11111111-2222-3333-4444-555555555555',
        customerCountry: 'DE',
        sourceChannel: 'OTHER_PARTNER',
        licenses: [{ offerId: 'X', seats: 1 }],
      },
    ],
    [
      'planSubscriptionTransfer',
      `mutation($input: PlanSubscriptionTransferInput!) { planSubscriptionTransfer(input: $input) { userErrors { code } workflow { id } } }`,
      {
        subscriptionId: fx.subscriptionGid,
        newPartnerTenantId: '11111111-2222-3333-4444-555555555555',
        newPartnerMpnId: '123456',
        customerRequestReceivedAt: '2026-01-02T10:00:00Z',
        partnerAdmins: ADMINS,
      },
    ],
    [
      'orderLegacyAzureSubscription',
      `mutation($input: OrderLegacyAzureSubscriptionInput!) { orderLegacyAzureSubscription(input: $input) { userErrors { code } subscription { subscriptionId } } }`,
      { customerId: fx.customerGid },
    ],
  ];

  it('another organization reads nothing: node, nodes, workflows, customers, reconciliation, activity', async () => {
    const ids = Object.values(fx.workflows);
    for (const id of ids) {
      const res = await data<{ node: unknown }>(
        'query($id: ID!) { node(id: $id) { id } }',
        { id },
        outsiderToken,
      );
      expect(res.body).toEqual({ data: { node: null }, extensions: expect.anything() });
    }
    const nodes = await data<{ nodes: unknown[] }>(
      'query($ids: [ID!]!) { nodes(ids: $ids) { id } }',
      { ids: [...ids, fx.customerGid, fx.subscriptionGid, fx.tenantGid] },
      outsiderToken,
    );
    expect(nodes.body.data?.nodes).toEqual(Array(ids.length + 3).fill(null));
    const list = await data<{ workflows: { edges: unknown[] } }>(
      '{ workflows { edges { node { id } } } }',
      {},
      outsiderToken,
    );
    expect(list.body.data?.workflows.edges).toEqual([]);
    const customers = await data(
      'query($t: ID!) { customers(partnerTenantId: $t) { totalCount } }',
      { t: fx.tenantGid },
      outsiderToken,
    );
    expect(customers.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const reconciliation = await data<{ azureReconciliation: unknown }>(
      'query($c: ID!) { azureReconciliation(customerId: $c) { customer { tenantId } } }',
      { c: fx.customerGid },
      outsiderToken,
    );
    expect(reconciliation.body.data?.azureReconciliation ?? null).toBeNull();
    const activity = await data<{ activityLog: { edges: unknown[] } }>(
      '{ activityLog(first: 100) { edges { node { operation } } } }',
      {},
      outsiderToken,
    );
    expect(activity.body.data?.activityLog.edges).toEqual([]);
    for (const res of [customers, reconciliation]) {
      expect(JSON.stringify(res.body)).not.toContain('FORBIDDEN');
    }
  });

  it('another organization changes nothing: every mutation on the owner’s objects is NOT_FOUND, never FORBIDDEN', async () => {
    const before = JSON.stringify(emulator.control.state().subscriptions);
    for (const [name, mutation, input] of foreignMutations()) {
      const res = await data<Record<string, { userErrors: Array<{ code: string }> }>>(
        mutation,
        { input },
        outsiderToken,
      );
      const text = JSON.stringify(res.body);
      expect(text, name).not.toContain('FORBIDDEN');
      const payload = Object.values(res.body.data ?? {})[0];
      const code = payload?.userErrors[0]?.code ?? res.body.errors?.[0]?.extensions?.code;
      expect(code, `${name}: ${text}`).toBe('NOT_FOUND');
    }
    // And the owner's workflows are untouched.
    for (const id of Object.values(fx.workflows)) {
      const res = await data<{ node: { status: string } }>(
        'query($id: ID!) { node(id: $id) { ... on Workflow { status } } }',
        { id },
        ownerToken,
      );
      expect(res.body.data?.node.status).toBe('DRAFT');
    }
    expect(JSON.stringify(emulator.control.state().subscriptions)).toBe(before);
  });

  it('export URLs, the form PDF and forged signing links answer 404 to anyone else', async () => {
    for (const url of [...fx.exportUrls, fx.pdfUrl]) {
      const mine = await fetch(local(url), { headers: { authorization: `Bearer ${ownerToken}` } });
      expect(mine.status, url).toBe(200);
      const theirs = await fetch(local(url), {
        headers: { authorization: `Bearer ${outsiderToken}` },
      });
      expect(theirs.status, url).toBe(404);
      expect((await fetch(local(url))).status, url).toBe(401);
    }
    for (const url of fx.signingUrls) {
      const forged = new URL(url);
      forged.searchParams.set('token', `${forged.searchParams.get('token')!.slice(0, -3)}xyz`);
      expect((await fetch(local(forged.toString()))).status).toBe(404);
      expect((await fetch(local(url))).status).toBe(200);
    }
    const asOutsider = await data<{ node: unknown }>(
      TRANSFER_STATE,
      { id: fx.workflows.transfer },
      outsiderToken,
    );
    expect(asOutsider.body.data?.node).toBeNull();
  });

  it('workflowUpdated pushes to the owning organization only', async () => {
    const url = t.http.graphqlUrl.replace(/^http/, 'ws');
    const received: Record<'owner' | 'outsider', unknown[]> = { owner: [], outsider: [] };
    const clients = await Promise.all(
      (['owner', 'outsider'] as const).map(async (who) => {
        const client = createClient({
          url,
          webSocketImpl: WebSocket,
          connectionParams: {
            authorization: `Bearer ${who === 'owner' ? ownerToken : outsiderToken}`,
          },
          retryAttempts: 0,
        });
        client.subscribe(
          {
            query: 'subscription($id: ID!) { workflowUpdated(id: $id) { id status } }',
            variables: { id: fx.workflows.azure },
          },
          {
            next: (v) => received[who].push(v),
            error: (e) => received[who].push(e),
            complete: () => undefined,
          },
        );
        return client;
      }),
    );
    await new Promise((r) => setTimeout(r, 200));
    const canceled = await data<{ cancelWorkflow: { userErrors: unknown[] } }>(
      'mutation($id: ID!) { cancelWorkflow(input: { id: $id }) { userErrors { code } } }',
      { id: fx.workflows.azure },
      ownerToken,
    );
    expect(canceled.body.data?.cancelWorkflow.userErrors).toEqual([]);
    for (let i = 0; i < 40 && received.owner.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
    await new Promise((r) => setTimeout(r, 100));
    await Promise.all(clients.map((c) => c.dispose()));
    expect(received.owner.length).toBeGreaterThan(0);
    expect(received.outsider).toEqual([]);
  });

  describe('roles of the owning organization (the role matrix, issue 17)', () => {
    // `[]` is a token with no roles at all.
    const roles: Array<[string, PartnerRole[]]> = [
      ['GLOBAL_ADMIN', [PartnerRole.GLOBAL_ADMIN]],
      ['ADMIN_AGENT', [PartnerRole.ADMIN_AGENT]],
      ['SALES_AGENT', [PartnerRole.SALES_AGENT]],
      ['BILLING_ADMIN', [PartnerRole.BILLING_ADMIN]],
      ['no role', []],
    ];
    const customerReaders = new Set([
      PartnerRole.GLOBAL_ADMIN,
      PartnerRole.ADMIN_AGENT,
      PartnerRole.SALES_AGENT,
    ]);
    const writers = new Set([PartnerRole.GLOBAL_ADMIN, PartnerRole.ADMIN_AGENT]);

    /** The top-level error code, or the first userError's, or 'OK'. */
    const outcome = (body: {
      data?: unknown;
      errors?: Array<{ extensions?: { code?: string } }>;
    }) => {
      if (body.errors?.length) {
        return body.errors[0]?.extensions?.code ?? 'ERROR';
      }
      const payload = Object.values((body.data ?? {}) as Record<string, unknown>)[0] as {
        userErrors?: Array<{ code: string }>;
      } | null;
      return payload?.userErrors?.[0]?.code ?? 'OK';
    };

    it.each(roles)('%s gets exactly what ARCHITECTURE.md allows', async (_name, held) => {
      const token = await t.token(organizationId, held);
      const canReadCustomers = held.some((r) => customerReaders.has(r));
      const canWrite = held.some((r) => writers.has(r));
      const reader = canReadCustomers ? 'OK' : 'FORBIDDEN';
      const run = async (query: string, variables: Record<string, unknown> = {}) =>
        outcome((await data(query, variables, token)).body);

      expect(await run('{ viewer { userId } }')).toBe('OK');
      expect(await run('{ activityLog { totalCount } }')).toBe('OK');
      expect(await run(EXPORTS.activity, { input: { format: 'CSV' } })).toBe('OK');
      // Customer and subscription data, on every surface that shows it.
      expect(await run('{ workflows { edges { node { id } } } }')).toBe(reader);
      for (const id of [...Object.values(fx.workflows), fx.customerGid, fx.subscriptionGid]) {
        const node = await data<{ node: { id: string } | null }>(
          'query($id: ID!) { node(id: $id) { id } }',
          { id },
          token,
        );
        // Like another organization's object: null, not a FORBIDDEN that confirms existence.
        expect(node.body.data?.node?.id ?? null, id).toBe(canReadCustomers ? id : null);
      }
      expect(
        await run('query($t: ID!) { customers(partnerTenantId: $t, first: 1) { totalCount } }', {
          t: fx.tenantGid,
        }),
      ).toBe(reader);
      expect(
        await run(
          'query($c: ID!) { azureReconciliation(customerId: $c) { customer { tenantId } } }',
          { c: fx.customerGid },
        ),
      ).toBe(reader);
      expect(
        await run(EXPORTS.azure, { input: { format: 'CSV', customerId: fx.customerGid } }),
      ).toBe(reader);
      expect(
        await run(EXPORTS.consolidation, {
          input: { format: 'CSV', workflowId: fx.workflows.consolidation },
        }),
      ).toBe(reader);
      expect(
        await run(EXPORTS.channel, { input: { format: 'CSV', workflowId: fx.workflows.channel } }),
      ).toBe(reader);
      expect(
        await run(EXPORTS.subscriptions, {
          input: { format: 'CSV', partnerTenantId: fx.tenantGid },
        }),
      ).toBe(reader);
      // Plans show the inventory: customer-data roles, and harmless inputs that readers get a
      // userError (or a plan) for.
      const plans = foreignMutations().filter(([name]) => name.startsWith('plan'));
      expect(plans).toHaveLength(4);
      for (const [name, mutation, input] of plans) {
        const code = await run(mutation, { input });
        expect(code, name).toSatisfy((c: string) =>
          canReadCustomers ? c !== 'FORBIDDEN' : c === 'FORBIDDEN',
        );
      }
      // Download URLs re-check the caller's roles (the files were made by a GLOBAL_ADMIN).
      const [activityUrl, ...customerDataUrls] = fx.exportUrls;
      const get = (url: string) =>
        fetch(local(url), { headers: { authorization: `Bearer ${token}` } });
      expect((await get(activityUrl!)).status).toBe(200);
      for (const url of customerDataUrls) {
        const res = await get(url);
        expect(res.status, url).toBe(canReadCustomers ? 200 : 403);
        if (!canReadCustomers) {
          expect(await res.text()).not.toMatch(/Alpine|[0-9a-f]{8}-[0-9a-f]{4}-/);
        }
      }
      // The transfer form PDF names the customer: customer-data roles; others read it as absent.
      expect((await get(fx.pdfUrl)).status).toBe(canReadCustomers ? 200 : 404);
      // Changes in Partner Center (R-CON-10): harmless inputs that writers get a userError for.
      expect(
        await run(
          'mutation($id: ID!) { retryWorkflow(input: { id: $id }) { userErrors { code } } }',
          { id: fx.workflows.consolidation },
        ),
      ).toSatisfy((code: string) => (canWrite ? code !== 'FORBIDDEN' : code === 'FORBIDDEN'));
      expect(
        await run(
          `mutation($input: SignTransferFormInput!) { signTransferForm(input: $input) { userErrors { code } } }`,
          {
            input: {
              transferId: fx.workflows.transfer,
              party: 'CURRENT_PARTNER',
              signerName: 'A',
              signerEmail: 'not-an-email',
            },
          },
        ),
      ).toBe(canWrite ? 'INVALID_EMAIL' : 'FORBIDDEN');
      expect(
        await run(
          `mutation($input: OrderLegacyAzureSubscriptionInput!) { orderLegacyAzureSubscription(input: $input) { userErrors { code } } }`,
          { input: { customerId: fx.customerGid, idempotencyKey: 'has spaces' } },
        ),
      ).toBe(canWrite ? 'INVALID' : 'FORBIDDEN');
      expect(
        await run(
          `mutation($input: PlanAzurePlanTransitionInput!) { planAzurePlanTransition(input: $input) { userErrors { code } } }`,
          { input: { customerId: fx.customerGid, idempotencyKey: 'has spaces' } },
        ),
      ).toBe(canReadCustomers ? 'INVALID' : 'FORBIDDEN');

      // workflowUpdated over WebSocket: readers get the event, the others an error and no data.
      const events: unknown[] = [];
      const errors: unknown[] = [];
      const client = createClient({
        url: t.http.graphqlUrl.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${token}` },
        retryAttempts: 0,
      });
      const done = new Promise<void>((resolve) => {
        client.subscribe(
          {
            query: 'subscription($id: ID!) { workflowUpdated(id: $id) { id status } }',
            variables: { id: fx.workflows.consolidation },
          },
          {
            next: (v) => (v.errors ? errors.push(v.errors) : events.push(v)),
            error: (e) => {
              errors.push(e);
              resolve();
            },
            complete: () => resolve(),
          },
        );
      });
      await new Promise((r) => setTimeout(r, 150));
      // The FORBIDDEN comes at subscribe time, before any event could be pushed.
      await Promise.race([done, new Promise((r) => setTimeout(r, 300))]);
      await client.dispose();
      if (canReadCustomers) {
        expect(errors).toEqual([]);
      } else {
        expect(JSON.stringify(errors)).toContain('FORBIDDEN');
        expect(events).toEqual([]);
      }
    });
  });
});
