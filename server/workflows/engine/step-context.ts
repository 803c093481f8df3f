import { type ProductOperation } from '../../shared/activity-operations.js';
import { ActivityRecorder } from '../../modules/activity-log/activity-recorder.js';
import { type NewActivityEntry } from '../../modules/activity-log/activity.repository.js';
import type { Clock } from '../../shared/clock.js';
import type { BlockerCode } from '../../shared/error-codes.js';
import type { EngineDb } from './db.types.js';
import type {
  NewBlocker,
  NewEvent,
  StepOutcome,
  WorkflowHead,
  WorkflowItemRow,
  WorkflowKind,
} from './engine.types.js';
import { resolveItemBlockers } from './item-commands.repository.js';
import { stepRequestId } from './request-id.js';
import { type JournalPoint } from './simulated-crash.js';
import * as repo from './workflow.repository.js';

export type { WorkflowStepRow } from './workflow.repository.js';

/** What a step logs in the activity log; the rest comes from its workflow and item. */
export type StepActivityEntry = Pick<NewActivityEntry, 'details'> & {
  /** Registered in server/shared/activity-operations.ts. */
  operation: ProductOperation;
} & Partial<Omit<NewActivityEntry, 'operation' | 'details'>>;

/**
 * What a step handler gets: its workflow and item (their data typed by the procedure), the
 * journal, the items it may look at or wake, the activity log and the event buffer. Steps use
 * nothing else of the engine.
 */
export interface StepContext<W = Record<string, unknown>, I = Record<string, unknown>> {
  readonly workflow: WorkflowHead;
  readonly workflowData: W;
  readonly item: WorkflowItemRow;
  /** The item's data; steps return changes through their outcome's `data`. */
  readonly data: I;
  now(): Date;
  /** `now()` plus a delay (business time), e.g. a wait's `until`. */
  later(ms: number): Date;
  /** The deterministic MS-RequestId of a step of this item. */
  requestId(step?: string): string;
  /**
   * Runs a Partner Center write once per (item, step): journals the intent first, looks for the
   * effect before re-issuing after a crash (`lookup`), and journals the result. A step that already
   * succeeded returns its journalled result without calling.
   */
  journaled<T>(
    step: string,
    intent: unknown,
    effect: {
      /** Finds the effect of an earlier attempt; gets the intent journalled then. */
      lookup?: (journalledIntent: unknown) => Promise<T | undefined>;
      call: (requestId: string) => Promise<T>;
    },
  ): Promise<T>;
  readonly journal: {
    /**
     * Ids journalled as results of `step` by the workflow's other items (`subscriptionId`s of
     * their orders): what an earlier attempt of another item created is not this item's effect.
     */
    resultIdsOfOthers(step: string): Promise<string[]>;
  };
  /** Journalled steps of an item (default this one) that succeeded, oldest first. */
  succeededSteps(itemId?: string): Promise<repo.WorkflowStepRow[]>;
  /** This item's children (items it holds), or those of another item of the workflow. */
  children(parentItemId?: string): Promise<WorkflowItemRow[]>;
  /** This item's parent, if any. */
  parent(): Promise<WorkflowItemRow | undefined>;
  /** The workflow's items of one kind. */
  itemsOfKind(kind: string): Promise<WorkflowItemRow[]>;
  /** Makes waiting items of the workflow runnable now (they look again). */
  wake(itemIds: readonly string[]): Promise<void>;
  /** Writes the activity log (once per `externalId`). */
  readonly activity: { record(entry: StepActivityEntry): Promise<void> };
  emit(event: NewEvent): void;
  block(blocker: NewBlocker): void;
  /** Resolves this item's open blockers of these codes now (what blocked it is over). */
  resolveBlockers(codes: readonly BlockerCode[]): Promise<void>;
  /** Marks the workflow irreversible (R-CON-8); false when it was canceled meanwhile. */
  markIrreversible(): Promise<boolean>;
  /** Releases this item's held children when the outcome is applied. */
  releaseChildren(kinds?: string[]): void;
}

/** What an invariant sweep gets: the time and the engine reads and writes sweeps need. */
export interface SweepContext {
  now: Date;
  /** Items of one kind in one state, across workflows (indexed). */
  itemsInState(kind: string, state: string): Promise<WorkflowItemRow[]>;
  /** Flags an item with a blocker once (false when it already was, or is gone). */
  flagItemOnce(item: WorkflowItemRow, blocker: NewBlocker): Promise<boolean>;
  /** Raises a blocker unless one of its code is open on the item (false then, or when gone). */
  raiseBlocker(item: WorkflowItemRow, blocker: NewBlocker): Promise<boolean>;
  /** Resolves the item's open blockers of these codes, journalling `message` if there were any. */
  clearBlockers(
    item: WorkflowItemRow,
    codes: readonly BlockerCode[],
    message: string,
  ): Promise<number>;
  /** An item's children (e.g. the items of a customer). */
  children(parentItemId: string): Promise<WorkflowItemRow[]>;
  /** Workflows (without their input) by id. */
  workflows(ids: readonly string[]): Promise<WorkflowHead[]>;
  /**
   * Replaces the data (and state) of an item as read, unless it changed since (false then): the
   * sweep's own marks, on items that ended.
   */
  markItem(
    item: WorkflowItemRow,
    change: { data: Record<string, unknown>; state?: string },
  ): Promise<boolean>;
  /** The journal entry of one step of an item. */
  step(itemId: string, step: string): Promise<repo.WorkflowStepRow | undefined>;
  /** The deterministic MS-RequestId of a step of an item. */
  requestId(workflowId: string, itemId: string, step: string): string;
  readonly activity: ActivityRecorder;
}

export type StepHandler<W = Record<string, unknown>, I = Record<string, unknown>> = (
  ctx: StepContext<W, I>,
) => Promise<StepOutcome>;

/**
 * Types a procedure's step handlers: the engine keeps workflow and item data as JSON, the
 * procedure says what they hold (`const step = stepsOf<ConsolidationData>()`, then
 * `step<CustomerItemData>(async (ctx) => …)`).
 */
export function stepsOf<W>() {
  return <I>(handler: StepHandler<W, I>): StepHandler => handler as unknown as StepHandler;
}

export interface WorkflowDefinition {
  kind: WorkflowKind;
  steps: Record<string, StepHandler>;
  /**
   * Invariant checks the engine runs on every pass, outside any step (e.g. R-CON-4: a source
   * still active after the day its replacement became active is flagged at once). Returns the
   * workflows it changed.
   */
  sweep?: (ctx: SweepContext) => Promise<string[]>;
}

const parse = (value: string | null | undefined): Record<string, unknown> =>
  value ? (JSON.parse(value) as Record<string, unknown>) : {};

/** Builds a step's context; `checkpoint` is the runner's crash-simulation hook. */
export function createStepContext(deps: {
  db: EngineDb;
  clock: Clock;
  workflow: WorkflowHead;
  item: WorkflowItemRow;
  checkpoint: (point: JournalPoint) => void;
  events: NewEvent[];
  blockers: NewBlocker[];
  onRelease: (release: { kinds?: string[] }) => void;
}): StepContext {
  const { db, clock, workflow, item, checkpoint } = deps;
  const workflowData = parse(workflow.dataJson);
  const data = parse(item.dataJson);
  const recorder = new ActivityRecorder(db);
  const now = () => clock.now();
  return {
    workflow,
    workflowData,
    item,
    data,
    now,
    later: (ms) => new Date(now().getTime() + ms),
    requestId: (step = item.step) => stepRequestId(workflow.id, item.id, step),
    journaled: async (step, intent, effect) => {
      const existing = await repo.getStep(db, item.id, step);
      if (existing?.phase === 'SUCCEEDED') {
        return JSON.parse(existing.resultJson ?? 'null');
      }
      const requestId = existing?.requestId ?? stepRequestId(workflow.id, item.id, step);
      if (existing && effect.lookup) {
        // The intent is journalled but not the result: the call may have happened before a crash.
        const found = await effect.lookup(JSON.parse(existing.intentJson ?? 'null'));
        if (found !== undefined) {
          await repo.journalResult(db, {
            itemId: item.id,
            step,
            at: now().toISOString(),
            result: found,
          });
          return found;
        }
      }
      if (!existing) {
        await repo.journalIntent(db, {
          workflowId: workflow.id,
          itemId: item.id,
          step,
          requestId,
          at: now().toISOString(),
          intent,
        });
      }
      checkpoint('after-intent');
      const result = await effect.call(requestId);
      checkpoint('after-call');
      await repo.journalResult(db, { itemId: item.id, step, at: now().toISOString(), result });
      checkpoint('after-result');
      return result;
    },
    journal: {
      resultIdsOfOthers: (step) => repo.journalledResultIds(db, workflow.id, step, item.id),
    },
    succeededSteps: (itemId = item.id) => repo.succeededSteps(db, itemId),
    children: (parentItemId = item.id) => repo.childItems(db, parentItemId),
    parent: async () => (item.parentItemId ? repo.getItem(db, item.parentItemId) : undefined),
    itemsOfKind: (kind) => repo.itemsOfKind(db, workflow.id, kind),
    wake: (itemIds) => repo.wakeItems(db, itemIds, now().toISOString()),
    activity: {
      record: (entry) =>
        recorder.record({
          organizationId: workflow.organizationId,
          at: now().toISOString(),
          // Who started the workflow acts through its steps (the activity log's actor).
          actor: (workflowData as { startedBy?: string }).startedBy ?? workflow.createdBy,
          source: 'PRODUCT',
          partnerTenantId: item.partnerTenantId,
          customerTenantId: item.customerTenantId,
          customerName: (data as { companyName?: string }).companyName ?? null,
          workflowId: workflow.id,
          subscriptionId: null,
          externalId: null,
          ...entry,
        }),
    },
    emit: (event) => {
      deps.events.push({ itemId: item.id, customerTenantId: item.customerTenantId, ...event });
    },
    block: (blocker) => {
      deps.blockers.push({ itemId: item.id, customerTenantId: item.customerTenantId, ...blocker });
    },
    resolveBlockers: (codes) => resolveItemBlockers(db, item.id, codes, now().toISOString()),
    // Once irreversible, a workflow can no longer be canceled (cancelWorkflowRow) and stays
    // RUNNING/WAITING while this item is open: no write needed for every later item.
    markIrreversible: async () =>
      workflow.irreversibleAt !== null ||
      repo.markIrreversible(db, workflow.id, now().toISOString()),
    releaseChildren: (kinds) => deps.onRelease(kinds ? { kinds } : {}),
  };
}

export function createSweepContext(db: EngineDb, now: Date): SweepContext {
  return {
    now,
    itemsInState: (kind, state) => repo.itemsInState(db, kind, state),
    flagItemOnce: (item, blocker) => repo.flagItemOnce(db, item, now.toISOString(), blocker),
    raiseBlocker: (item, blocker) => repo.raiseItemBlocker(db, item, now.toISOString(), blocker),
    clearBlockers: (item, codes, message) =>
      repo.clearItemBlockers(db, item, codes, now.toISOString(), message),
    children: (parentItemId) => repo.childItems(db, parentItemId),
    workflows: (ids) => repo.getWorkflowHeadsByIds(db, ids),
    markItem: (item, change) => repo.markSweptItem(db, item, change, now.toISOString()),
    step: (itemId, step) => repo.getStep(db, itemId, step),
    requestId: stepRequestId,
    activity: new ActivityRecorder(db),
  };
}
