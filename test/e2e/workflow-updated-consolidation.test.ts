import { createClient, type Client } from 'graphql-ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createEmulator, type Emulator } from '../../emulator/index.js';
import { WORKFLOW_UPDATED_TOPIC } from '../../server/app/pubsub.js';
import { clockFrom } from '../../server/shared/clock.js';
import { startTestApp, type TestApp } from '../support/app.js';
import {
  PLAN_CONSOLIDATION,
  demoTenants,
  playUntil,
  workflowStatus,
} from '../support/consolidation.js';

// Issue 19 item 4: a consolidation's subscriber gets an event only when something it sees changed.

const LIVE = /* GraphQL */ `
  subscription Live($id: ID!) {
    workflowUpdated(id: $id) {
      id
      status
      completedAt
      updatedAt
      progress {
        completed
        total
      }
      blockers {
        code
        message
        subject
      }
      ... on TenantConsolidation {
        customers(first: 100) {
          edges {
            node {
              state
              waitingReason
              items {
                status
              }
            }
          }
        }
      }
    }
  }
`;

type LiveWorkflow = { status: string; updatedAt: string } & Record<string, unknown>;

describe('workflowUpdated during a tenant consolidation', () => {
  let emulator: Emulator;
  let t: TestApp;
  let client: Client;

  beforeEach(async () => {
    emulator = createEmulator({ scenario: 'demo', seed: 7 });
    t = await startTestApp({
      emulator,
      clock: clockFrom(emulator.clock),
      env: { WORKFLOW_RUNNER: 'off' },
      runner: { retryBaseMs: 1, retryMaxMs: 5 },
    });
  });
  afterEach(async () => {
    await client?.dispose();
    await t.close();
  });

  it(
    'never sends two identical consecutive events, and sends the end state',
    { timeout: 120_000 },
    async () => {
      const organizationId = emulator.control.partners().find((p) => p.labels.includes('central'))
        ?.organizationId as string;
      const token = await t.token(organizationId);
      const { target, sources } = await demoTenants(t, emulator, token);
      const planned = await t.gql<{
        planTenantConsolidation: { workflow: { id: string } };
      }>(PLAN_CONSOLIDATION, {
        token,
        variables: {
          input: {
            sourcePartnerTenantIds: sources.map((s) => s.id),
            targetPartnerTenantId: target.id,
          },
        },
      });
      const id = planned.body.data?.planTenantConsolidation.workflow.id as string;
      expect(id).toBeTruthy();

      // What the engine publishes (every replica's notifier), next to what the subscriber receives.
      let published = 0;
      const raw = t.app.pubSub.subscribe(WORKFLOW_UPDATED_TOPIC)[Symbol.asyncIterator]();
      void (async () => {
        for (let next = await raw.next(); !next.done; next = await raw.next()) {
          if (next.value.id === id) {
            published++;
          }
        }
      })();

      client = createClient({
        url: t.http.graphqlUrl.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${token}` },
        retryAttempts: 0,
      });
      const received: LiveWorkflow[] = [];
      const errors: unknown[] = [];
      client.subscribe<{ workflowUpdated: LiveWorkflow }>(
        { query: LIVE, variables: { id } },
        {
          next: (value) =>
            value.data ? received.push(value.data.workflowUpdated) : errors.push(value.errors),
          error: (e) => errors.push(e),
          complete: () => undefined,
        },
      );
      await new Promise((r) => setTimeout(r, 200));

      const started = await t.gql<{ startWorkflow: { userErrors: unknown[] } }>(
        'mutation($id: ID!) { startWorkflow(input: { id: $id }) { userErrors { code } } }',
        { token, variables: { id } },
      );
      expect(started.body.data?.startWorkflow.userErrors).toEqual([]);
      await playUntil(t, emulator, async () =>
        ['COMPLETED', 'FAILED'].includes(await workflowStatus(t, token, id)),
      );
      const end = await workflowStatus(t, token, id);
      for (let i = 0; i < 100 && received.at(-1)?.status !== end; i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      await raw.return?.();

      expect(errors).toEqual([]);
      expect(received.at(-1)?.status).toBe(end);
      const visible = received.map(({ updatedAt: _updatedAt, ...rest }) => JSON.stringify(rest));
      const repeats = visible.filter((v, i) => i > 0 && v === visible[i - 1]).length;
      console.info(
        `workflowUpdated: ${published} publications, ${received.length} events delivered, ${repeats} repeats`,
      );
      expect(repeats).toBe(0);
      expect(received.length).toBeLessThan(published);
    },
  );
});
