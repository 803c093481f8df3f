import { type ProductOperation } from '../shared/activity-operations.js';
import { type EngineLogger } from './engine/engine-logger.js';
import { createHash, randomUUID } from 'node:crypto';
import { type Actor, actorLabel, isWorkflowWriter } from '../shared/actor.js';
import { type Clock } from '../shared/clock.js';
import { ForbiddenError } from '../shared/errors.js';
import { err, ok, type Result } from '../shared/result.js';
import { idempotencyKeySchema, invalid } from '../shared/validation.js';
import { type EngineDb } from './engine/db.types.js';
import {
  type NewBlocker,
  type NewEvent,
  type NewItem,
  type WorkflowKind,
  type WorkflowRow,
} from './engine/engine.types.js';
import { type WorkflowNotifier } from './engine/workflow-notifier.js';
import * as repo from './engine/workflow.repository.js';
import { viewerRole } from './engine/workflow-viewers.repository.js';
import { ActivityRecorder } from '../modules/activity-log/activity-recorder.js';

type Guard = (row: WorkflowRow) => Promise<Result<void>>;

export interface PlannedWorkflow {
  data: Record<string, unknown>;
  items: NewItem[];
  blockers: NewBlocker[];
  events: NewEvent[];
}

/** Canonical JSON (sorted keys) so equal inputs hash equally whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonical).join(',')}]`;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The workflow an idempotency key already names: returned for the same input, else refused. */
function sameInput(existing: WorkflowRow, inputHash: string): Result<WorkflowRow> {
  return existing.inputHash === inputHash
    ? ok(existing)
    : err({
        code: 'IDEMPOTENCY_KEY_REUSED',
        message: 'This idempotency key was already used with a different input.',
        field: ['input', 'idempotencyKey'],
      });
}

/**
 * What every procedure shares: creating a planned workflow (with idempotency keys), starting,
 * canceling and retrying it, and organization isolation. The runner does the rest.
 */
export class WorkflowService {
  constructor(
    private readonly deps: {
      db: EngineDb;
      clock: Clock;
      /** Wakes the runner after a change that makes work runnable. */
      kick?: () => void;
      /** Publishes a change to `workflowUpdated` subscribers. */
      notifier?: WorkflowNotifier;
      /** Operator logs: a workflow's start at info. */
      logger?: EngineLogger;
      /** Procedure-specific checks right before a start (state may have changed since planning). */
      startGuards?: Partial<Record<WorkflowKind, Guard>>;
      /** Procedure-specific checks before a cancel (e.g. Microsoft already acted in Partner Center). */
      cancelGuards?: Partial<Record<WorkflowKind, Guard>>;
      /** Per kind, the viewer roles under which other organizations read a workflow read-only. */
      viewerRoles?: Partial<Record<WorkflowKind, readonly string[]>>;
    },
  ) {
    this.activity = new ActivityRecorder(deps.db);
  }

  private readonly activity: ActivityRecorder;

  /** A workflow of the caller's organization, or null (never reveals other organizations' ids). */
  async get(actor: Actor, id: string): Promise<WorkflowRow | null> {
    const row = await repo.getWorkflow(this.deps.db, id);
    return row && row.organizationId === actor.organizationId ? row : null;
  }

  /**
   * A workflow the actor may read: its organization's, or one shared with it read-only (the new
   * partner's organization sees an incoming transfer), or null.
   */
  async getReadable(actor: Actor, id: string): Promise<WorkflowRow | null> {
    const row = await repo.getWorkflow(this.deps.db, id);
    if (!row) {
      return null;
    }
    if (row.organizationId === actor.organizationId) {
      return row;
    }
    const roles = this.deps.viewerRoles?.[row.kind as WorkflowKind] ?? [];
    if (roles.length === 0) {
      return null;
    }
    const role = await viewerRole(this.deps.db, id, actor.organizationId);
    return role && roles.includes(role) ? row : null;
  }

  /** The refusal for a workflow the actor may read but not change, or NOT_FOUND. */
  private async missing(actor: Actor, id: string): Promise<Result<WorkflowRow>> {
    return (await this.getReadable(actor, id))
      ? err({
          code: 'READ_ONLY',
          message: 'This workflow belongs to another organization; you may only read it.',
          field: ['input', 'id'],
        })
      : err({ code: 'NOT_FOUND', message: 'No such workflow.', field: ['input', 'id'] });
  }

  /**
   * Creates a DRAFT workflow from a plan. The same idempotency key with the same input returns the
   * first workflow (nothing is planned again); with a different input it is refused.
   */
  async createPlanned(
    actor: Actor,
    kind: WorkflowKind,
    input: { value: unknown; idempotencyKey?: string | null },
    plan: () => Promise<Result<PlannedWorkflow>>,
  ): Promise<Result<WorkflowRow>> {
    const badKey = invalid(
      idempotencyKeySchema.nullish(),
      input.idempotencyKey,
      ['input', 'idempotencyKey'],
      'INVALID',
      'The idempotency key is 1–200 printable ASCII characters.',
    );
    if (badKey) {
      return err(badKey);
    }
    const inputJson = canonical(input.value);
    const inputHash = createHash('sha256').update(`${kind}\u0000${inputJson}`).digest('hex');
    if (input.idempotencyKey) {
      const existing = await repo.findWorkflowByIdempotencyKey(
        this.deps.db,
        actor.organizationId,
        input.idempotencyKey,
      );
      if (existing) {
        return sameInput(existing, inputHash);
      }
    }
    const planned = await plan();
    if (!planned.ok) {
      return planned;
    }
    const now = this.deps.clock.now().toISOString();
    const id = randomUUID();
    try {
      await repo.createWorkflow(this.deps.db, {
        workflow: {
          id,
          organizationId: actor.organizationId,
          kind,
          status: 'DRAFT',
          inputJson,
          inputHash,
          idempotencyKey: input.idempotencyKey ?? null,
          dataJson: JSON.stringify(planned.value.data),
          createdBy: actorLabel(actor),
          createdAt: now,
          updatedAt: now,
        },
        items: planned.value.items.map((item) =>
          item.nextRunAt && item.nextRunAt < now ? { ...item, nextRunAt: now } : item,
        ),
        blockers: planned.value.blockers,
        events: planned.value.events,
      });
    } catch (error) {
      // Two concurrent plans with one idempotency key: the loser returns the winner's workflow.
      if (input.idempotencyKey) {
        const winner = await repo.findWorkflowByIdempotencyKey(
          this.deps.db,
          actor.organizationId,
          input.idempotencyKey,
        );
        if (winner) {
          return sameInput(winner, inputHash);
        }
      }
      throw error;
    }
    const row = await repo.getWorkflow(this.deps.db, id);
    return ok(row as WorkflowRow);
  }

  private assertWriter(actor: Actor): void {
    if (!isWorkflowWriter(actor)) {
      throw new ForbiddenError(
        'Starting or canceling a workflow needs the GLOBAL_ADMIN or ADMIN_AGENT role.',
      );
    }
  }

  /** startWorkflow: refused while workflow-level blockers remain; a started workflow is returned as is. */
  async start(actor: Actor, id: string): Promise<Result<WorkflowRow>> {
    this.assertWriter(actor);
    const row = await this.get(actor, id);
    if (!row) {
      return this.missing(actor, id);
    }
    if (row.status !== 'DRAFT') {
      if (row.status === 'RUNNING' || row.status === 'WAITING' || row.status === 'COMPLETED') {
        return ok(row);
      }
      return err({
        code: 'NOT_STARTABLE',
        message: `The workflow is ${row.status.toLowerCase()} and cannot be started.`,
        field: ['input', 'id'],
      });
    }
    const blockers = await repo.listBlockers(this.deps.db, id);
    const global = blockers.filter((b) => !b.customerTenantId && !b.subject);
    if (global.length > 0) {
      return err({
        code: 'BLOCKED',
        message: `The workflow cannot start: ${global.map((b) => `${b.code}: ${b.message}`).join(' ')}`,
        field: ['input', 'id'],
      });
    }
    const guard = this.deps.startGuards?.[row.kind as WorkflowKind];
    if (guard) {
      const checked = await guard(row);
      if (!checked.ok) {
        return checked;
      }
    }
    const now = this.deps.clock.now().toISOString();
    const data = JSON.parse(row.dataJson) as Record<string, unknown>;
    await repo.updateWorkflowData(this.deps.db, id, now, {
      ...data,
      startedBy: actorLabel(actor),
    });
    const started = await repo.startWorkflowRow(this.deps.db, id, now, row.version);
    const current = (await repo.getWorkflow(this.deps.db, id)) as WorkflowRow;
    if (!started && current.status === 'DRAFT') {
      return err({
        code: 'CONFLICT',
        message: 'The workflow changed meanwhile; try again.',
        field: ['input', 'id'],
      });
    }
    await this.recordActivity(
      actor,
      current,
      'start_workflow',
      `Started ${current.kind.toLowerCase().replace(/_/g, ' ')} ${current.id}.`,
    );
    this.deps.logger?.info(
      {
        workflowId: current.id,
        kind: current.kind,
        organizationId: current.organizationId,
        actor: actor.userId,
      },
      'workflow started',
    );
    this.deps.notifier?.notify(current);
    this.deps.kick?.();
    return ok(current);
  }

  private async recordActivity(
    actor: Actor,
    row: WorkflowRow,
    operation: ProductOperation,
    details: string,
  ): Promise<void> {
    await this.activity.record({
      organizationId: row.organizationId,
      at: this.deps.clock.now().toISOString(),
      actor: actorLabel(actor),
      operation,
      source: 'PRODUCT',
      partnerTenantId: null,
      customerTenantId: null,
      customerName: null,
      workflowId: row.id,
      subscriptionId: null,
      details,
      externalId: null,
    });
  }

  /** cancelWorkflow: refused once an irreversible step ran (R-CON-8); nothing is ever reverted. */
  async cancel(actor: Actor, id: string): Promise<Result<WorkflowRow>> {
    this.assertWriter(actor);
    const row = await this.get(actor, id);
    if (!row) {
      return this.missing(actor, id);
    }
    if (row.irreversibleAt) {
      return err({
        code: 'IRREVERSIBLE',
        message: `The workflow cannot be canceled: irreversible changes were made in Partner Center from ${row.irreversibleAt} on (subscriptions were re-provisioned or moved). Nothing is reverted; it runs to completion.`,
        field: ['input', 'id'],
      });
    }
    if (!['DRAFT', 'RUNNING', 'WAITING'].includes(row.status)) {
      return err({
        code: 'NOT_CANCELABLE',
        message: `The workflow is already ${row.status.toLowerCase()}.`,
        field: ['input', 'id'],
      });
    }
    const guard = this.deps.cancelGuards?.[row.kind as WorkflowKind];
    if (guard) {
      const checked = await guard(row);
      if (!checked.ok) {
        return checked;
      }
    }
    const who = actorLabel(actor);
    const canceled = await repo.cancelWorkflowRow(
      this.deps.db,
      id,
      this.deps.clock.now().toISOString(),
      `Canceled by ${who}.`,
    );
    const current = (await repo.getWorkflow(this.deps.db, id)) as WorkflowRow;
    if (!canceled) {
      return current.irreversibleAt
        ? this.cancel(actor, id)
        : err({
            code: 'NOT_CANCELABLE',
            message: `The workflow is ${current.status.toLowerCase()}.`,
            field: ['input', 'id'],
          });
    }
    await this.recordActivity(
      actor,
      current,
      'cancel_workflow',
      `Canceled ${current.kind.toLowerCase().replace(/_/g, ' ')} ${current.id}.`,
    );
    this.deps.notifier?.notify(current);
    return ok(current);
  }

  /** Runs failed items' failed steps again (R-AZP-9: nothing that succeeded is redone). */
  async retry(actor: Actor, id: string): Promise<Result<WorkflowRow>> {
    this.assertWriter(actor);
    const row = await this.get(actor, id);
    if (!row) {
      return this.missing(actor, id);
    }
    const count = await repo.retryFailedItems(
      this.deps.db,
      id,
      this.deps.clock.now().toISOString(),
    );
    if (count === 0) {
      return err({
        code: 'NOTHING_TO_RETRY',
        message: 'The workflow has no failed item.',
        field: ['input', 'id'],
      });
    }
    const current = (await repo.getWorkflow(this.deps.db, id)) as WorkflowRow;
    this.deps.notifier?.notify(current);
    this.deps.kick?.();
    return ok(current);
  }
}
