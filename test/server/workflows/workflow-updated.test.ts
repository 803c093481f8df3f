import { createClient, type Client } from 'graphql-ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { encodeId } from '../../../server/shared/ids.js';
import * as repo from '../../../server/workflows/engine/workflow.repository.js';
import { startTestApp, type TestApp } from '../../support/app.js';

// Subscription.workflowUpdated over graphql-ws: each change is pushed to the owning organization's
// subscribers, never to another organization's.

async function seed(t: TestApp, id: string) {
  const at = '2026-03-02T09:00:00.000Z';
  await repo.createWorkflow(t.app.db.db, {
    workflow: {
      id,
      organizationId: 'org-a',
      kind: 'TENANT_CONSOLIDATION',
      status: 'DRAFT',
      inputJson: '{}',
      inputHash: 'h',
      idempotencyKey: null,
      dataJson: JSON.stringify({
        sources: [],
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
    items: [],
    blockers: [],
    events: [],
  });
  return encodeId('TenantConsolidation', id);
}

function wsClient(t: TestApp, token: string): Client {
  return createClient({
    url: t.http.graphqlUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
}

function collect(client: Client, id: string) {
  const received: Array<{ status: string }> = [];
  const errors: unknown[] = [];
  const dispose = client.subscribe<{ workflowUpdated: { status: string } }>(
    {
      query: 'subscription($id: ID!) { workflowUpdated(id: $id) { id status progress { total } } }',
      variables: { id },
    },
    {
      next: (value) => {
        if (value.data) {
          received.push(value.data.workflowUpdated);
        } else {
          errors.push(value.errors);
        }
      },
      error: (e) => errors.push(e),
      complete: () => undefined,
    },
  );
  return { received, errors, dispose };
}

describe('Subscription.workflowUpdated', () => {
  let t: TestApp;
  const clients: Client[] = [];
  beforeEach(async () => {
    t = await startTestApp({ env: { WORKFLOW_RUNNER: 'off' } });
  });
  afterEach(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await t.close();
  });

  it('pushes a change to the owning organization only', async () => {
    const id = await seed(t, 'wf-live');
    const mine = wsClient(t, await t.token('org-a'));
    const theirs = wsClient(t, await t.token('org-b'));
    clients.push(mine, theirs);
    const a = collect(mine, id);
    const b = collect(theirs, id);
    await new Promise((r) => setTimeout(r, 200)); // both subscriptions are registered
    const res = await t.gql(
      'mutation($id: ID!) { cancelWorkflow(input: { id: $id }) { userErrors { code } } }',
      {
        token: await t.token('org-a'),
        variables: { id },
      },
    );
    expect(res.body.errors).toBeUndefined();
    for (let i = 0; i < 50 && a.received.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(a.errors).toEqual([]);
    expect(a.received).toEqual([{ id, status: 'CANCELED', progress: { total: 0 } }]);
    expect(b.received).toEqual([]);
  });

  it('refuses a subscription without a valid token', async () => {
    const id = await seed(t, 'wf-anon');
    const anon = wsClient(t, 'not-a-token');
    clients.push(anon);
    const c = collect(anon, id);
    for (let i = 0; i < 50 && c.errors.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(c.errors.length).toBeGreaterThan(0);
    expect(c.received).toEqual([]);
  });
});
