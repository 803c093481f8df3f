import { createClient, type Client } from 'graphql-ws';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { encodeId } from '../../../server/shared/ids.js';
import * as repo from '../../../server/workflows/engine/workflow.repository.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { createTestDatabase, dialects, type TestDatabase } from '../../support/dialects.js';

// Live updates across replicas (issue 10): a workflowUpdated subscriber connected to replica A
// hears of a change made through replica B, both on one PostgreSQL database (LISTEN/NOTIFY).

const at = '2026-03-02T09:00:00.000Z';

describe.skipIf(!dialects.includes('pg'))('workflowUpdated across two replicas (pg)', () => {
  let database: TestDatabase;
  const apps: TestApp[] = [];
  const clients: Client[] = [];

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
    await Promise.all(apps.splice(0).map((a) => a.close()));
    await database.drop();
  });

  it('pushes a change made on replica B to a subscriber on replica A, and only to its organization', async () => {
    database = await createTestDatabase('pg');
    const env = { WORKFLOW_RUNNER: 'off', DATABASE_URL: database.url };
    const a = await startTestApp({ env });
    const b = await startTestApp({ env });
    apps.push(a, b);
    await repo.createWorkflow(a.app.db.db, {
      workflow: {
        id: 'wf-shared',
        organizationId: 'org-a',
        kind: 'TENANT_CONSOLIDATION',
        status: 'DRAFT',
        inputJson: '{}',
        inputHash: 'h',
        idempotencyKey: null,
        dataJson: JSON.stringify({
          sources: [],
          target: { tenantId: 'tenant-a2', name: 'Contoso DE', mpnId: '1002', country: 'DE' },
        }),
        createdBy: 'seed',
        createdAt: at,
        updatedAt: at,
      },
      items: [],
      blockers: [],
      events: [],
    });
    const id = encodeId('TenantConsolidation', 'wf-shared');

    const subscribe = async (t: TestApp, organizationId: string) => {
      const client = createClient({
        url: t.http.graphqlUrl.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${await t.token(organizationId)}` },
        retryAttempts: 0,
      });
      clients.push(client);
      const received: Array<{ id: string; status: string }> = [];
      client.subscribe<{ workflowUpdated: { id: string; status: string } }>(
        {
          query: 'subscription($id: ID!) { workflowUpdated(id: $id) { id status } }',
          variables: { id },
        },
        {
          next: (value) => value.data && received.push(value.data.workflowUpdated),
          error: () => undefined,
          complete: () => undefined,
        },
      );
      return received;
    };
    const onA = await subscribe(a, 'org-a');
    const otherOrgOnA = await subscribe(a, 'org-b');
    await new Promise((r) => setTimeout(r, 300)); // subscriptions registered

    const res = await b.gql(
      'mutation($id: ID!) { cancelWorkflow(input: { id: $id }) { userErrors { code } } }',
      { token: await b.token('org-a'), variables: { id } },
    );
    expect(res.body.errors).toBeUndefined();
    for (let i = 0; i < 100 && onA.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(onA).toEqual([{ id, status: 'CANCELED' }]);
    expect(otherOrgOnA).toEqual([]);
  });
});
