import { createHash } from 'node:crypto';
import { type ApiContext } from '../api-context.js';
import { WORKFLOW_UPDATED_TOPIC, type WorkflowUpdatedEvent } from '../../app/pubsub.js';
import { type WorkflowRow } from '../../workflows/engine/engine.types.js';

/**
 * What a `workflowUpdated` subscriber can see of a workflow, reduced to a hash: status, end time,
 * progress, open blockers, items per status and the procedure's own data (target, signing state…).
 * `updatedAt` is left out on purpose: the engine touches it on every step (issue 19: 23 of 33
 * events repeated the previous one except `updatedAt`).
 */
export async function visibleFingerprint(ctx: ApiContext, row: WorkflowRow): Promise<string> {
  const queries = ctx.services.workflowQueries;
  const [progress, blockers, counts] = await Promise.all([
    queries.progress(row.id),
    queries.blockers(row.id),
    queries.itemCounts(row.id),
  ]);
  const visible = {
    status: row.status,
    completedAt: row.completedAt,
    progress,
    blockers: blockers.map((b) => [b.code, b.message, b.customerTenantId, b.subject]),
    counts,
    data: row.dataJson,
  };
  return createHash('sha256').update(JSON.stringify(visible)).digest('base64url');
}

/**
 * The events of one subscriber: the engine publishes on every change (each replica, each step),
 * the subscriber re-reads the workflow and forwards it only when its fingerprint differs from the
 * last one it sent. Computed at the subscriber, so it holds across replicas. Publications that
 * arrive while a re-read is in flight coalesce into one further re-read.
 */
export function workflowUpdates(
  ctx: ApiContext,
  id: string,
  load: () => Promise<object | null>,
): AsyncIterableIterator<WorkflowUpdatedEvent> {
  const organizationId = ctx.actor.organizationId;
  const source = ctx.pubSub.subscribe(WORKFLOW_UPDATED_TOPIC)[Symbol.asyncIterator]();
  let dirty = false;
  let closed = false;
  let wake: (() => void) | null = null;
  const signal = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  void (async () => {
    for (;;) {
      const next = await source.next();
      if (next.done || closed) {
        break;
      }
      if (next.value.id === id && next.value.organizationId === organizationId) {
        dirty = true;
        signal();
      }
    }
    closed = true;
    signal();
  })();

  let last: string | null = null;
  const close = async () => {
    closed = true;
    signal();
    await source.return?.();
  };
  const iterator: AsyncIterableIterator<WorkflowUpdatedEvent> = {
    [Symbol.asyncIterator]: () => iterator,
    async next() {
      for (;;) {
        while (!dirty && !closed) {
          await new Promise<void>((resolve) => (wake = resolve));
        }
        if (closed) {
          return { done: true, value: undefined };
        }
        dirty = false;
        ctx.refreshLoaders();
        const workflow = await load();
        if (!workflow) {
          // No longer visible: the resolver turns this into a NOT_FOUND error for the subscriber.
          return { done: false, value: { id, organizationId } };
        }
        const row = (workflow as { row?: WorkflowRow }).row;
        const fingerprint = row ? await visibleFingerprint(ctx, row) : null;
        if (fingerprint !== null && fingerprint === last) {
          continue;
        }
        last = fingerprint;
        return { done: false, value: { id, organizationId, workflow } };
      }
    },
    async return() {
      await close();
      return { done: true, value: undefined };
    },
    async throw(error: unknown) {
      await close();
      throw error;
    },
  };
  return iterator;
}
