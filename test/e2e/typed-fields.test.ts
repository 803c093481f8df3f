import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from 'partner-center-emulator';
import { clockFrom } from '../../server/shared/clock.js';
import { EXPORT_TTL_MS } from '../../server/modules/exports/export-store.js';
import { toActivityEntry } from '../../server/modules/activity-log/activity.resolver.js';
import { gqlData, startTestApp, type TestApp } from '../support/app.js';
import { channelMoveDemo, planChannelMove } from '../support/channel-move.js';
import { demoTenants, PLAN_CONSOLIDATION, playUntil } from '../support/consolidation.js';
import { dialects } from '../support/dialects.js';
import { startWorkflow } from '../support/operations.js';

// Issue 19: the typed siblings of the free strings carry the same values as the strings, on the
// data a real run emits (plan, start, Partner Center steps, activity log, an export), and
// `Export.expiresAt` is the instant the download route starts refusing the file.

interface EventsAndBlockers {
  node: {
    status: string;
    blockers: Array<{ code: string; codeEnum: string }>;
    events: { edges: Array<{ node: { type: string; typeEnum: string } }> };
  };
}

const EVENTS_AND_BLOCKERS = `query($id: ID!) { node(id: $id) { ... on Workflow {
  status blockers { code codeEnum } events(first: 100) { edges { node { type typeEnum } } } } } }`;

describe.each(dialects)('typed siblings of the free strings (%s)', (dialect) => {
  let emulator: Emulator;
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    emulator = createEmulator({ scenario: 'demo', seed: 7 });
    t = await startTestApp({
      emulator,
      clock: clockFrom(emulator.clock),
      env: { WORKFLOW_RUNNER: 'off' },
      runner: { retryBaseMs: 1, retryMaxMs: 5 },
      dialect,
    });
    const central = emulator.control.partners().find((p) => p.labels.includes('central'));
    token = await t.token(central?.organizationId as string);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('PartnerTenant.kindEnum is kind in capitals', async () => {
    const data = await gqlData<{
      viewer: { organization: { partnerTenants: Array<{ kind: string; kindEnum: string }> } };
    }>(t, '{ viewer { organization { partnerTenants { kind kindEnum } } } }', { token });
    const tenants = data?.viewer.organization.partnerTenants ?? [];
    expect(tenants.length).toBeGreaterThan(1);
    for (const tenant of tenants) {
      expect(tenant.kindEnum).toBe(tenant.kind.toUpperCase());
    }
  });

  it('a consolidation run: every event typeEnum is its type, activity operations and sources typed', async () => {
    const { target, sources } = await demoTenants(t, emulator, token);
    const planned = await gqlData<{
      planTenantConsolidation: { workflow: { id: string } | null; userErrors: unknown[] };
    }>(t, PLAN_CONSOLIDATION, {
      token,
      variables: {
        input: {
          sourcePartnerTenantIds: sources.map((s) => s.id),
          targetPartnerTenantId: target.id,
        },
      },
    });
    const id = planned?.planTenantConsolidation.workflow?.id as string;
    expect((await startWorkflow(t, token, id)).userErrors).toEqual([]);
    // Retrying a workflow without a failed item is a user error: its codeEnum is its code.
    const retried = await t.gql<{
      retryWorkflow: { userErrors: Array<{ code: string; codeEnum: string }> };
    }>(
      'mutation($id: ID!) { retryWorkflow(input: { id: $id }) { userErrors { code codeEnum } } }',
      { token, variables: { id } },
    );
    expect(retried.body.data?.retryWorkflow.userErrors).toEqual([
      { code: 'NOTHING_TO_RETRY', codeEnum: 'NOTHING_TO_RETRY' },
    ]);
    await playUntil(t, emulator, async () => false, { step: 'PT6H', maxSteps: 8 });

    const state = await gqlData<EventsAndBlockers>(t, EVENTS_AND_BLOCKERS, {
      token,
      variables: { id },
    });
    const events = state?.node.events.edges.map((e) => e.node) ?? [];
    const types = new Set(events.map((e) => e.type));
    expect([...types]).toEqual(
      expect.arrayContaining(['PLANNED', 'WORKFLOW_STARTED', 'CUSTOMER_INVITED']),
    );
    for (const event of events) {
      expect(event.typeEnum).toBe(event.type);
    }
    for (const blocker of state?.node.blockers ?? []) {
      expect(blocker.codeEnum).toBe(blocker.code);
    }

    const log = await gqlData<{
      activityLog: {
        edges: Array<{
          node: { operation: string; operationEnum: string; source: string; sourceEnum: string };
        }>;
      };
    }>(
      t,
      `query($id: ID!) { activityLog(filter: { workflowId: $id }, first: 100) {
        edges { node { operation operationEnum source sourceEnum } } } }`,
      { token, variables: { id } },
    );
    const entries = log?.activityLog.edges.map((e) => e.node) ?? [];
    expect(entries.map((e) => e.operation)).toEqual(
      expect.arrayContaining(['start_workflow', 'invite_customer']),
    );
    for (const entry of entries) {
      expect(entry.operationEnum).toBe(entry.operation.toUpperCase());
      expect(entry.sourceEnum).toBe(entry.source);
    }
  });

  it('a Partner Center audit operation we do not list is UNKNOWN, its raw name kept', () => {
    const entry = toActivityEntry(
      {
        id: 1,
        organizationId: 'org',
        at: '2026-01-05T10:00:00.000Z',
        actor: 'Partner Center',
        operation: 'register_software_download_link',
        source: 'PARTNER_CENTER_AUDIT',
        partnerTenantId: null,
        customerTenantId: null,
        customerName: null,
        workflowId: null,
        subscriptionId: null,
        details: null,
        externalId: null,
      } as Parameters<typeof toActivityEntry>[0],
      new Map(),
    );
    expect(entry).toMatchObject({
      operation: 'register_software_download_link',
      operationEnum: 'UNKNOWN',
      source: 'PARTNER_CENTER_AUDIT',
      sourceEnum: 'PARTNER_CENTER_AUDIT',
    });
  });

  it('blockers of a dry run carry codeEnum = code', async () => {
    const demo = await channelMoveDemo(t, emulator);
    const planned = await planChannelMove(t, demo.token, {
      partnerTenantId: demo.partner.id,
      customerTenantId: demo.inRegion.tenantId,
      customerCountry: demo.inRegion.country,
      sourceChannel: 'OTHER_PARTNER',
      licenses: [{ offerId: 'EA-PROPLUS-ONLY', seats: 5, expiresOn: '2026-04-15T00:00:00Z' }],
    });
    const state = await gqlData<EventsAndBlockers>(t, EVENTS_AND_BLOCKERS, {
      token: demo.token,
      variables: { id: planned.workflow?.id },
    });
    const blockers = state?.node.blockers ?? [];
    expect(blockers.map((b) => b.code)).toContain('NO_EQUIVALENT_OFFER');
    for (const blocker of blockers) {
      expect(blocker.codeEnum).toBe(blocker.code);
    }
  });

  it('Export.expiresAt is when the download link starts answering 404', async () => {
    const tenants = await gqlData<{
      viewer: { organization: { partnerTenants: Array<{ id: string }> } };
    }>(t, '{ viewer { organization { partnerTenants { id } } } }', { token });
    const made = await gqlData<{
      exportCustomers: { export: { url: string; expiresAt: string } | null; userErrors: unknown[] };
    }>(
      t,
      `mutation($input: ExportCustomersInput!) { exportCustomers(input: $input) {
        userErrors { code } export { url expiresAt } } }`,
      {
        token,
        variables: {
          input: {
            partnerTenantId: tenants?.viewer.organization.partnerTenants[0]?.id,
            format: 'CSV',
          },
        },
      },
    );
    const file = made?.exportCustomers.export as { url: string; expiresAt: string };
    const expiresAt = Date.parse(file.expiresAt);
    expect(file.expiresAt).toBe(new Date(expiresAt).toISOString());
    expect(expiresAt - emulator.clock.now().getTime()).toBe(EXPORT_TTL_MS);
    const status = async () =>
      (await fetch(file.url, { headers: { authorization: `Bearer ${token}` } })).status;
    expect(await status()).toBe(200);
    await emulator.clock.advance(expiresAt - 1 - emulator.clock.now().getTime());
    expect(await status()).toBe(200);
    await emulator.clock.advance(1);
    expect(await status()).toBe(404);
  });
});
