import { afterEach, describe, expect, it } from 'vitest';
import { type DbHandle, openDatabase } from '../../../server/db/client.js';
import { createManualClock } from '../../../server/shared/clock.js';
import {
  type WorkflowDefinition,
  WorkflowRunner,
} from '../../../server/workflows/engine/workflow-runner.js';
import * as repo from '../../../server/workflows/engine/workflow.repository.js';
import { createTestDatabase, dialects, type TestDatabase } from '../../support/dialects.js';

// A parent blocked mid-run (a customer rejected GDAP) never releases its held children: the engine
// ends them SKIPPED, so the workflow completes for the other parents instead of waiting forever.

const definition: WorkflowDefinition = {
  kind: 'TENANT_CONSOLIDATION',
  steps: {
    decide: async (ctx) => {
      if (ctx.item.id === 'rejecting') {
        ctx.block({ code: 'GDAP_REJECTED', message: 'the customer rejected GDAP' });
        return { type: 'blocked', code: 'GDAP_REJECTED', message: 'rejected', state: 'BLOCKED' };
      }
      ctx.releaseChildren();
      return { type: 'next', step: 'children' };
    },
    children: async (ctx) => {
      const children = await ctx.children();
      return children.every((c) => c.status === 'DONE')
        ? { type: 'done', state: 'DONE' }
        : { type: 'wait', reason: 'children', until: ctx.later(3_600_000) };
    },
    work: async () => ({ type: 'done', state: 'DONE' }),
  },
};

let database: TestDatabase | undefined;
let handle: DbHandle | undefined;
afterEach(async () => {
  await handle?.close();
  await database?.drop();
  database = undefined;
});

describe.each(dialects)('a blocked parent and its held children (%s)', (dialect) => {
  it('skips the held children of a blocked parent; the others complete', async () => {
    database = await createTestDatabase(dialect, { file: true });
    handle = await openDatabase(database.url);
    const db = handle.db;
    const clock = createManualClock('2026-03-02T09:00:00Z');
    const at = clock.now().toISOString();
    const parent = (id: string) => ({
      id,
      kind: 'CUSTOMER',
      state: 'PLANNED',
      step: 'decide',
      nextRunAt: at,
      data: {},
    });
    const child = (id: string, parentItemId: string) => ({
      id,
      kind: 'LICENSE',
      state: 'PLANNED',
      step: 'work',
      nextRunAt: null,
      parentItemId,
      data: {},
    });
    await repo.createWorkflow(db, {
      workflow: {
        id: 'wf',
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
        parent('approving'),
        child('a1', 'approving'),
        parent('rejecting'),
        child('r1', 'rejecting'),
        child('r2', 'rejecting'),
      ],
      blockers: [],
      events: [],
    });
    await new WorkflowRunner({ db, clock, definitions: [definition] }).drain();
    expect((await repo.getWorkflow(db, 'wf'))?.status).toBe('COMPLETED');
    const items = await repo.listItems(db, 'wf');
    const status = Object.fromEntries(items.map((i) => [i.id, i.status]));
    expect(status).toEqual({
      approving: 'DONE',
      a1: 'DONE',
      rejecting: 'BLOCKED',
      r1: 'SKIPPED',
      r2: 'SKIPPED',
    });
    expect(items.find((i) => i.id === 'r1')?.lastError).toContain('GDAP_REJECTED');
  });
});
