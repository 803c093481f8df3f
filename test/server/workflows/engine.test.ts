import { afterEach, describe, expect, it } from 'vitest';
import { type DbHandle, openDatabase } from '../../../server/db/client.js';
import { createManualClock } from '../../../server/shared/clock.js';
import { type WorkflowEventType } from '../../../server/shared/workflow-event-types.js';
import {
  SimulatedCrash,
  type JournalPoint,
} from '../../../server/workflows/engine/simulated-crash.js';
import {
  type WorkflowDefinition,
  WorkflowRunner,
} from '../../../server/workflows/engine/workflow-runner.js';
import * as repo from '../../../server/workflows/engine/workflow.repository.js';
import { createTestDatabase, dialects, type TestDatabase } from '../../support/dialects.js';

// A fake procedure: a parent waits for "approval" (an external flag), then releases two children
// that each make one external "create" (counted) and finish.

interface World {
  approved: boolean;
  creates: Map<string, number>;
  failNextCreates: number;
}

function definition(world: World): WorkflowDefinition {
  return {
    kind: 'TENANT_CONSOLIDATION',
    steps: {
      approve: async (ctx) => {
        if (!world.approved) {
          return { type: 'wait', reason: 'waiting for approval' };
        }
        ctx.releaseChildren();
        // A test procedure's own event type, outside the registry of the real procedures.
        ctx.emit({ type: 'APPROVED' as WorkflowEventType, message: 'approved' });
        return { type: 'next', step: 'children', state: 'APPROVED' };
      },
      children: async (ctx) => {
        const items = await repo.listItems(dbHandle.db, ctx.workflow.id);
        const children = items.filter((i) => i.parentItemId === ctx.item.id);
        return children.every((c) => c.status === 'DONE')
          ? { type: 'done', state: 'DONE' }
          : { type: 'wait', reason: 'children', until: new Date(ctx.now().getTime() + 3_600_000) };
      },
      create: async (ctx) => {
        const result = await ctx.journaled<{ id: string }>(
          'create',
          { subject: ctx.item.subject },
          {
            lookup: async () =>
              world.creates.has(ctx.item.subject as string)
                ? { id: `x-${ctx.item.subject}` }
                : undefined,
            call: async () => {
              if (world.failNextCreates > 0) {
                world.failNextCreates -= 1;
                throw Object.assign(new Error('Service unavailable'), {
                  retryable: true,
                  status: 503,
                  code: 503,
                });
              }
              const key = ctx.item.subject as string;
              world.creates.set(key, (world.creates.get(key) ?? 0) + 1);
              return { id: `x-${key}` };
            },
          },
        );
        return { type: 'done', state: 'DONE', data: { created: result.id } };
      },
    },
  };
}

let database: TestDatabase | undefined;
let dbHandle: DbHandle;
const handles: DbHandle[] = [];

/** A database (a file for SQLite) that a second "process" can open again. */
async function openDb(): Promise<DbHandle> {
  const handle = await openDatabase(database!.url);
  handles.push(handle);
  return handle;
}

async function seedWorkflow(db: DbHandle['db'], at: string): Promise<string> {
  const id = 'wf-1';
  await repo.createWorkflow(db, {
    workflow: {
      id,
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
      {
        id: 'parent',
        kind: 'CUSTOMER',
        state: 'PLANNED',
        step: 'approve',
        nextRunAt: at,
        data: {},
      },
      {
        id: 'c1',
        kind: 'LICENSE',
        state: 'PLANNED',
        step: 'create',
        nextRunAt: null,
        parentItemId: 'parent',
        subject: 's1',
        data: {},
      },
      {
        id: 'c2',
        kind: 'LICENSE',
        state: 'PLANNED',
        step: 'create',
        nextRunAt: null,
        parentItemId: 'parent',
        subject: 's2',
        data: {},
      },
    ],
    blockers: [],
    events: [],
  });
  return id;
}

afterEach(async () => {
  await Promise.all(handles.splice(0).map((h) => h.close()));
  await database?.drop();
  database = undefined;
});

describe.each(dialects)('WorkflowRunner on %s', (dialect) => {
  it('waits, releases children, runs each external create once and completes', async () => {
    database = await createTestDatabase(dialect, { file: true });
    dbHandle = await openDb();
    const clock = createManualClock('2026-03-02T09:00:00Z');
    const world: World = { approved: false, creates: new Map(), failNextCreates: 0 };
    const id = await seedWorkflow(dbHandle.db, clock.now().toISOString());
    const runner = new WorkflowRunner({
      db: dbHandle.db,
      clock,
      definitions: [definition(world)],
      recheckMinMs: 60_000,
    });

    await runner.drain();
    expect((await repo.getWorkflow(dbHandle.db, id))?.status).toBe('WAITING');
    const parent = await repo.getItem(dbHandle.db, 'parent');
    expect(parent?.waitingReason).toBe('waiting for approval');
    expect(parent?.nextRunAt).toBe('2026-03-02T09:01:00.000Z');

    world.approved = true;
    clock.advance(60_000);
    await runner.drain();
    expect((await repo.getWorkflow(dbHandle.db, id))?.status).toBe('COMPLETED');
    expect([...world.creates.values()]).toEqual([1, 1]);
    const events = await repo.listEvents(dbHandle.db, id, { limit: 100 });
    expect(events.rows.map((e) => e.type)).toContain('APPROVED');
    expect(events.rows.at(-1)?.type).toBe('WORKFLOW_COMPLETED');
  });

  it('retries a transiently failing step with backoff and shows the retry as an event', async () => {
    database = await createTestDatabase(dialect, { file: true });
    dbHandle = await openDb();
    const clock = createManualClock('2026-03-02T09:00:00Z');
    const world: World = { approved: true, creates: new Map(), failNextCreates: 2 };
    const id = await seedWorkflow(dbHandle.db, clock.now().toISOString());
    const runner = new WorkflowRunner({
      db: dbHandle.db,
      clock,
      definitions: [definition(world)],
      retryBaseMs: 5,
      retryMaxMs: 10,
    });
    await runner.drain();
    expect((await repo.getWorkflow(dbHandle.db, id))?.status).toBe('COMPLETED');
    expect([...world.creates.values()]).toEqual([1, 1]);
    const events = await repo.listEvents(dbHandle.db, id, { limit: 100 });
    expect(events.rows.filter((e) => e.type === 'STEP_RETRY')).toHaveLength(2);
  });

  it('fails the item with the cause after the last attempt, and a retry finishes it', async () => {
    database = await createTestDatabase(dialect, { file: true });
    dbHandle = await openDb();
    const clock = createManualClock('2026-03-02T09:00:00Z');
    const world: World = { approved: true, creates: new Map(), failNextCreates: 100 };
    const id = await seedWorkflow(dbHandle.db, clock.now().toISOString());
    const runner = new WorkflowRunner({
      db: dbHandle.db,
      clock,
      definitions: [definition(world)],
      retryBaseMs: 1,
      retryMaxMs: 2,
      maxAttempts: 2,
    });
    await runner.drain();
    const failed = (await repo.listItems(dbHandle.db, id)).filter((i) => i.status === 'FAILED');
    expect(failed.map((i) => i.id).sort()).toEqual(['c1', 'c2']);
    expect(failed[0]?.lastError).toContain('Service unavailable');
    world.failNextCreates = 0;
    expect(await repo.retryFailedItems(dbHandle.db, id, clock.now().toISOString())).toBe(2);
    clock.advance(3_600_000);
    await runner.drain();
    expect((await repo.getWorkflow(dbHandle.db, id))?.status).toBe('COMPLETED');
    expect([...world.creates.values()]).toEqual([1, 1]);
  });

  const points: JournalPoint[] = [
    'before-step',
    'after-intent',
    'after-call',
    'after-result',
    'before-outcome',
    'after-outcome',
  ];
  // Journal points are passed once per create (two creates); step points at least three times.
  const occurrences = (p: JournalPoint) =>
    p.startsWith('after-') && p !== 'after-outcome' ? 2 : 3;
  it.each(
    points.flatMap((point) =>
      Array.from({ length: occurrences(point) }, (_, i) => [point, i + 1] as const),
    ),
  )(
    'a crash at %s (occurrence %i) then a restart ends like an uninterrupted run',
    async (point, nth) => {
      database = await createTestDatabase(dialect, { file: true });
      dbHandle = await openDb();
      const clock = createManualClock('2026-03-02T09:00:00Z');
      const world: World = { approved: true, creates: new Map(), failNextCreates: 0 };
      const id = await seedWorkflow(dbHandle.db, clock.now().toISOString());
      let seen = 0;
      const crashing = new WorkflowRunner({
        db: dbHandle.db,
        clock,
        definitions: [definition(world)],
        concurrency: 1,
        leaseMs: 50,
        crashHook: (p) => {
          if (p === point && ++seen === nth) {
            throw new SimulatedCrash(p);
          }
        },
      });
      await crashing.drain().catch((e: unknown) => {
        if (!(e instanceof SimulatedCrash)) {
          throw e;
        }
      });
      expect(crashing.crashed?.point).toBe(point);
      // The "process" is gone; its lease expires and a new runner takes over.
      await new Promise((r) => setTimeout(r, 60));
      const restarted = new WorkflowRunner({
        db: dbHandle.db,
        clock,
        definitions: [definition(world)],
        leaseMs: 50,
      });
      await restarted.drain();
      expect((await repo.getWorkflow(dbHandle.db, id))?.status).toBe('COMPLETED');
      expect(Object.fromEntries(world.creates)).toEqual({ s1: 1, s2: 1 });
    },
  );
});
