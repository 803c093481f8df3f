import { type Actor } from '../shared/actor.js';
import {
  type ConnectionPage,
  connectionFromSlice,
  decodeCursor,
  encodeCursor,
  resolveFirst,
  type PageArgs,
} from '../shared/pagination.js';
import { type EngineDb } from './engine/db.types.js';
import { type WorkflowItemRow, type WorkflowRow } from './engine/engine.types.js';
import { EXCLUDED_STATE } from './engine/item-commands.repository.js';
import * as repo from './engine/workflow.repository.js';

/** Item kinds that are bookkeeping, not work: left out of progress. */
const NOT_WORK = new Set(['NO_ACTION']);
/**
 * Items that count as done: DONE, and SKIPPED (nothing to do) unless an operator excluded it.
 * Blocked, failed, canceled and excluded items are not done (issue 16: a fresh DRAFT showed its
 * blocked items as progress, a run with unmoved customers 59/59).
 */
const COMPLETED = ['DONE', 'SKIPPED'];

/** Reads of workflows for the API: lists, progress, blockers, events, items. */
export class WorkflowQueryService {
  constructor(private readonly deps: { db: EngineDb }) {}

  async list(
    actor: Actor,
    filter: { kind?: string | null; status?: string | null },
    args: PageArgs,
  ): Promise<ConnectionPage<WorkflowRow>> {
    const first = resolveFirst(args.first);
    const after = args.after ? decodeCursor('workflows', args.after) : null;
    const { rows, totalCount } = await repo.listWorkflows(
      this.deps.db,
      {
        organizationId: actor.organizationId,
        kind: filter.kind ?? null,
        status: filter.status ?? null,
      },
      { limit: first + 1, after: after ? [String(after[0]), String(after[1])] : null },
    );
    const page = rows.slice(0, first);
    return connectionFromSlice(
      page.map((row) => ({
        node: row,
        cursor: encodeCursor('workflows', [row.createdAt, row.id]),
      })),
      { hasNextPage: rows.length > first, hasPreviousPage: after !== null, totalCount },
    );
  }

  async items(workflowId: string): Promise<WorkflowItemRow[]> {
    return repo.listItems(this.deps.db, workflowId);
  }

  /** Items of a workflow that name one of these customers (for customer snapshots). */
  async itemsOfCustomers(
    workflowId: string,
    customerTenantIds: readonly string[],
  ): Promise<WorkflowItemRow[]> {
    return repo.listItemsOfCustomers(this.deps.db, workflowId, customerTenantIds);
  }

  /** Work items done, excluded and blocked out of work items planned (counted in the database). */
  async progress(
    workflowId: string,
  ): Promise<{ completed: number; total: number; excluded: number; blocked: number }> {
    return repo.countProgress(this.deps.db, workflowId, {
      notWork: [...NOT_WORK],
      completed: COMPLETED,
      excludedState: EXCLUDED_STATE,
    });
  }

  /** Items per engine status, sorted by status. */
  async itemCounts(workflowId: string): Promise<Record<string, number>> {
    return repo.countItemsByStatus(this.deps.db, workflowId);
  }

  async blockers(workflowId: string) {
    return repo.listBlockers(this.deps.db, workflowId);
  }

  async events(workflowId: string, args: PageArgs) {
    const first = resolveFirst(args.first);
    const after = args.after ? decodeCursor(`events:${workflowId}`, args.after) : null;
    const { rows, totalCount } = await repo.listEvents(this.deps.db, workflowId, {
      limit: first + 1,
      afterId: after ? Number(after[0]) : null,
    });
    const page = rows.slice(0, first);
    return connectionFromSlice(
      page.map((row) => ({ node: row, cursor: encodeCursor(`events:${workflowId}`, [row.id]) })),
      { hasNextPage: rows.length > first, hasPreviousPage: after !== null, totalCount },
    );
  }
}
