import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeId } from '../../../server/shared/ids.js';
import { PartnerRole } from '../../../server/shared/enums.js';
import * as repo from '../../../server/workflows/engine/workflow.repository.js';
import { startTestApp, type TestApp } from '../../support/app.js';

// The workflow API over a stored workflow (no Partner Center involved): the Workflow interface's
// fields, isolation between organizations, roles on start/cancel, cancel before/after R-CON-8.

async function seed(
  t: TestApp,
  organizationId: string,
  id: string,
  options: { irreversible?: boolean; status?: string } = {},
) {
  const at = '2026-03-02T09:00:00.000Z';
  await repo.createWorkflow(t.app.db.db, {
    workflow: {
      id,
      organizationId,
      kind: 'TENANT_CONSOLIDATION',
      status: options.status ?? 'DRAFT',
      inputJson: '{}',
      inputHash: 'h',
      idempotencyKey: null,
      dataJson: JSON.stringify({
        sources: [
          {
            tenantId: 'tenant-a1',
            name: 'Contoso FR',
            mpnId: '1001',
            country: 'FR',
            region: 'europe',
          },
        ],
        target: {
          tenantId: 'tenant-a2',
          name: 'Contoso DE',
          mpnId: '1002',
          country: 'DE',
          region: 'europe',
        },
      }),
      createdBy: 'seed',
      createdAt: at,
      updatedAt: at,
    },
    items: [
      {
        id: `${id}-c`,
        kind: 'CUSTOMER',
        state: 'PLANNED',
        step: 'invite',
        nextRunAt: at,
        customerTenantId: 'cust-1',
        partnerTenantId: 'tenant-a1',
        data: {
          companyName: 'Alpha SARL',
          domain: 'alpha.fr',
          country: 'FR',
          sourceTenantId: 'tenant-a1',
        },
      },
    ],
    blockers: [
      { code: 'OFFER_NOT_AVAILABLE', message: 'x', customerTenantId: 'cust-1', subject: 'offer-1' },
    ],
    events: [{ type: 'PLANNED', message: 'planned' }],
  });
  if (options.irreversible) {
    await repo.markIrreversible(t.app.db.db, id, at);
  }
  return encodeId('TenantConsolidation', id);
}

const QUERY = `query($id: ID!) { node(id: $id) { id ... on Workflow { kind status progress { completed total } blockers { code subject customer { companyName } } events(first: 10) { totalCount edges { node { type message } } } } ... on TenantConsolidation { sources { name } target { name } } } }`;

describe('workflow API', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp({ env: { WORKFLOW_RUNNER: 'off' } });
  });
  afterEach(async () => {
    await t.close();
  });

  it('serves the Workflow interface fields on a consolidation, to its organization only', async () => {
    const id = await seed(t, 'org-a', 'wf-a');
    const mine = await t.gql<{ node: Record<string, unknown> }>(QUERY, {
      token: await t.token('org-a'),
      variables: { id },
    });
    expect(mine.body.errors).toBeUndefined();
    expect(mine.body.data?.node).toMatchObject({
      id,
      kind: 'TENANT_CONSOLIDATION',
      status: 'DRAFT',
      progress: { completed: 0, total: 1 },
      blockers: [
        {
          code: 'OFFER_NOT_AVAILABLE',
          subject: 'offer-1',
          customer: { companyName: 'Alpha SARL' },
        },
      ],
      events: { totalCount: 1, edges: [{ node: { type: 'PLANNED', message: 'planned' } }] },
      sources: [{ name: 'Contoso FR' }],
      target: { name: 'Contoso DE' },
    });
    const other = await t.gql<{ node: unknown }>(QUERY, {
      token: await t.token('org-b'),
      variables: { id },
    });
    expect(other.body.errors).toBeUndefined();
    expect(other.body.data?.node).toBeNull();
    const list = await t.gql<{ workflows: { totalCount: number } }>(
      '{ workflows { totalCount } }',
      { token: await t.token('org-b') },
    );
    expect(list.body.data?.workflows.totalCount).toBe(0);
  });

  it('needs GLOBAL_ADMIN or ADMIN_AGENT to cancel, and another organization gets NOT_FOUND', async () => {
    const id = await seed(t, 'org-a', 'wf-b');
    const mutation =
      'mutation($id: ID!) { cancelWorkflow(input: { id: $id }) { userErrors { code } workflow { status } } }';
    const sales = await t.gql(mutation, {
      token: await t.token('org-a', [PartnerRole.SALES_AGENT]),
      variables: { id },
    });
    expect(sales.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const other = await t.gql<{ cancelWorkflow: { userErrors: Array<{ code: string }> } }>(
      mutation,
      { token: await t.token('org-b'), variables: { id } },
    );
    expect(other.body.data?.cancelWorkflow.userErrors[0]?.code).toBe('NOT_FOUND');
    const ok = await t.gql<{ cancelWorkflow: { workflow: { status: string } } }>(mutation, {
      token: await t.token('org-a', [PartnerRole.ADMIN_AGENT]),
      variables: { id },
    });
    expect(ok.body.data?.cancelWorkflow.workflow.status).toBe('CANCELED');
  });

  it('refuses to cancel once irreversible steps ran (R-CON-8)', async () => {
    const id = await seed(t, 'org-a', 'wf-c', { status: 'RUNNING', irreversible: true });
    const res = await t.gql<{
      cancelWorkflow: { userErrors: Array<{ code: string; message: string }>; workflow: unknown };
    }>(
      'mutation($id: ID!) { cancelWorkflow(input: { id: $id }) { userErrors { code message } workflow { status } } }',
      { token: await t.token('org-a'), variables: { id } },
    );
    expect(res.body.data?.cancelWorkflow.workflow).toBeNull();
    expect(res.body.data?.cancelWorkflow.userErrors[0]?.code).toBe('IRREVERSIBLE');
    expect((await repo.getWorkflow(t.app.db.db, 'wf-c'))?.status).toBe('RUNNING');
  });

  it('refuses to start while workflow-level blockers remain', async () => {
    const id = await seed(t, 'org-a', 'wf-d');
    await repo.addBlocker(t.app.db.db, 'wf-d', '2026-03-02T09:00:00.000Z', {
      code: 'NOTHING_TO_CONSOLIDATE',
      message: 'none',
    });
    const res = await t.gql<{ startWorkflow: { userErrors: Array<{ code: string }> } }>(
      'mutation($id: ID!) { startWorkflow(input: { id: $id }) { userErrors { code message } } }',
      { token: await t.token('org-a'), variables: { id } },
    );
    expect(res.body.data?.startWorkflow.userErrors[0]?.code).toBe('BLOCKED');
    expect((await repo.getWorkflow(t.app.db.db, 'wf-d'))?.status).toBe('DRAFT');
  });
});
