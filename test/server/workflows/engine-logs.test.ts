import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { type DbHandle, openDatabase } from '../../../server/db/client.js';
import { PartnerCenterError } from '../../../server/partner-center/errors.js';
import { createManualClock } from '../../../server/shared/clock.js';
import {
  type WorkflowDefinition,
  WorkflowRunner,
} from '../../../server/workflows/engine/workflow-runner.js';
import * as repo from '../../../server/workflows/engine/workflow.repository.js';
import { encodeId } from '../../../server/shared/ids.js';
import { startTestApp } from '../../support/app.js';
import { createTestDatabase, type TestDatabase } from '../../support/dialects.js';

// Issue 19 item 5: operators see a workflow's end at info, a retry and a failed item at warn,
// with the ids, the kind, Partner Center's code and correlation id.

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { lines, logger: pino({ level: 'debug' }, stream) };
}

function definition(world: { failures: number }): WorkflowDefinition {
  return {
    kind: 'TENANT_CONSOLIDATION',
    steps: {
      create: async () => {
        if (world.failures > 0) {
          world.failures -= 1;
          throw new PartnerCenterError({
            status: 503,
            code: '503',
            description: 'Service unavailable',
            correlationId: 'corr-1',
            requestId: 'req-1',
            retryable: true,
            operation: 'POST /v1/customers/c/orders',
          });
        }
        return { type: 'done', state: 'DONE' };
      },
    },
  };
}

let database: TestDatabase | undefined;
let handle: DbHandle | undefined;
afterEach(async () => {
  await handle?.close();
  await database?.drop();
});

async function run(failures: number) {
  database = await createTestDatabase('sqlite', { file: true });
  handle = await openDatabase(database.url);
  const clock = createManualClock('2026-03-02T09:00:00Z');
  const at = clock.now().toISOString();
  await repo.createWorkflow(handle.db, {
    workflow: {
      id: 'wf-log',
      organizationId: 'org',
      kind: 'TENANT_CONSOLIDATION',
      status: 'RUNNING',
      inputJson: '{}',
      inputHash: 'h',
      idempotencyKey: null,
      dataJson: '{}',
      createdBy: 'test',
      createdAt: at,
      updatedAt: at,
    },
    items: [
      { id: 'i1', kind: 'LICENSE', state: 'PLANNED', step: 'create', nextRunAt: at, data: {} },
    ],
    blockers: [],
    events: [],
  });
  const { lines, logger } = capture();
  const runner = new WorkflowRunner({
    db: handle.db,
    clock,
    definitions: [definition({ failures })],
    maxAttempts: 2,
    retryBaseMs: 1,
    retryMaxMs: 2,
    logger,
  });
  await runner.drain();
  await new Promise((r) => setTimeout(r, 20));
  return lines;
}

describe('workflow engine logs', () => {
  it('logs a retry and a failed item at warn with the Partner Center code and correlation id', async () => {
    const lines = await run(5);
    const retry = lines.find((l) => l.msg === 'workflow step retrying');
    expect(retry).toMatchObject({
      level: 40,
      workflowId: 'wf-log',
      kind: 'TENANT_CONSOLIDATION',
      itemId: 'i1',
      code: '503',
      correlationId: 'corr-1',
      requestId: 'req-1',
    });
    expect(lines.find((l) => l.msg === 'workflow item failed')).toMatchObject({
      level: 40,
      itemId: 'i1',
      code: '503',
      correlationId: 'corr-1',
    });
    expect(lines.find((l) => l.msg === 'workflow ended')).toMatchObject({
      level: 40,
      workflowId: 'wf-log',
      status: 'FAILED',
    });
  });

  it('logs a completed workflow at info, once', async () => {
    const lines = await run(0);
    const ended = lines.filter((l) => l.msg === 'workflow ended');
    expect(ended).toEqual([
      expect.objectContaining({ level: 30, workflowId: 'wf-log', status: 'COMPLETED' }),
    ]);
    expect(lines.some((l) => l.level === 40)).toBe(false);
  });
});

describe('application logs', () => {
  it('logs startWorkflow at info and HTTP request lines only at debug', async () => {
    const { lines, logger } = capture();
    logger.level = 'info';
    const t = await startTestApp({ env: { WORKFLOW_RUNNER: 'off' }, logger });
    try {
      const at = '2026-03-02T09:00:00.000Z';
      await repo.createWorkflow(t.app.db.db, {
        workflow: {
          id: 'wf-start',
          organizationId: 'org-a',
          kind: 'TENANT_CONSOLIDATION',
          status: 'DRAFT',
          inputJson: '{}',
          inputHash: 'h',
          idempotencyKey: null,
          dataJson: '{}',
          createdBy: 'seed',
          createdAt: at,
          updatedAt: at,
        },
        items: [],
        blockers: [],
        events: [],
      });
      const res = await t.gql<{ startWorkflow: { userErrors: unknown[] } }>(
        'mutation($id: ID!) { startWorkflow(input: { id: $id }) { userErrors { code } } }',
        {
          token: await t.token('org-a'),
          variables: { id: encodeId('TenantConsolidation', 'wf-start') },
        },
      );
      expect(res.body.data?.startWorkflow.userErrors).toEqual([]);
      await new Promise((r) => setTimeout(r, 20));
      expect(lines.find((l) => l.msg === 'workflow started')).toMatchObject({
        level: 30,
        workflowId: 'wf-start',
        kind: 'TENANT_CONSOLIDATION',
        organizationId: 'org-a',
      });
      expect(lines.filter((l) => l.msg === 'http request')).toEqual([]);
    } finally {
      await t.close();
    }
  });
});
