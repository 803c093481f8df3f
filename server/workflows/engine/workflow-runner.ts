import { partnerCenterIds } from './engine-logger.js';
import { randomUUID } from 'node:crypto';
import type {
  NewBlocker,
  NewEvent,
  StepOutcome,
  WorkflowHead,
  WorkflowItemRow,
} from './engine.types.js';
import { describeError, isRetryable, toItemUpdate } from './step-outcome.js';
import { createStepContext, createSweepContext, type WorkflowDefinition } from './step-context.js';
import { SimulatedCrash, type JournalPoint } from './simulated-crash.js';
import * as repo from './workflow.repository.js';
import { type RunnerOptions } from './runner-options.js';

export {
  stepsOf,
  type StepActivityEntry,
  type StepContext,
  type StepHandler,
  type SweepContext,
  type WorkflowDefinition,
} from './step-context.js';

export { type RunnerOptions } from './runner-options.js';

/**
 * The background runner: claims runnable items with a lease, runs one step of each, applies the
 * outcome transactionally and loops. Every effect is journalled and idempotent, so any number of
 * runners (processes, replicas) may run over one database, and a killed one loses nothing.
 */
export class WorkflowRunner {
  private readonly definitions: Map<string, WorkflowDefinition>;
  private readonly owner: string;
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly opts: Required<
    Pick<
      RunnerOptions,
      | 'concurrency'
      | 'pollIntervalMs'
      | 'leaseMs'
      | 'recheckMinMs'
      | 'recheckMaxMs'
      | 'maxAttempts'
      | 'retryBaseMs'
      | 'retryMaxMs'
      | 'changeCoalesceMs'
    >
  >;
  private readonly changedWorkflows = new Set<string>();
  private changeTimer: NodeJS.Timeout | undefined;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribeClock: (() => void) | undefined;
  private ticking = false;
  private again = false;
  private stopped = true;
  private dead: SimulatedCrash | undefined;
  private readonly random: () => number;

  constructor(private readonly options: RunnerOptions) {
    this.definitions = new Map(options.definitions.map((d) => [d.kind, d]));
    this.owner = options.owner ?? `runner-${randomUUID()}`;
    this.random = options.random ?? Math.random;
    this.opts = {
      concurrency: options.concurrency ?? 8,
      pollIntervalMs: options.pollIntervalMs ?? 1_000,
      leaseMs: options.leaseMs ?? 60_000,
      recheckMinMs: options.recheckMinMs ?? 5 * 60_000,
      recheckMaxMs: options.recheckMaxMs ?? 60 * 60_000,
      maxAttempts: options.maxAttempts ?? 8,
      retryBaseMs: options.retryBaseMs ?? 500,
      retryMaxMs: options.retryMaxMs ?? 30_000,
      changeCoalesceMs: options.changeCoalesceMs ?? 100,
    };
  }

  /** The crash that stopped this runner, if a test hook simulated one. */
  get crashed(): SimulatedCrash | undefined {
    return this.dead;
  }

  start(): void {
    if (!this.stopped) {
      return;
    }
    this.stopped = false;
    this.unsubscribeClock = this.options.clock.onChange?.(() => this.kick());
    this.timer = setInterval(() => this.kick(), this.opts.pollIntervalMs);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.unsubscribeClock?.();
    await Promise.allSettled([...this.inFlight.values()]);
    this.flushChanges();
  }

  /** Reports a workflow change, coalesced per workflow over `changeCoalesceMs`. */
  private workflowChanged(workflowId: string): void {
    this.options.onWorkflowWritten?.(workflowId);
    if (!this.options.onWorkflowChanged) {
      return;
    }
    if (this.opts.changeCoalesceMs <= 0) {
      this.options.onWorkflowChanged(workflowId);
      return;
    }
    this.changedWorkflows.add(workflowId);
    this.changeTimer ??= setTimeout(() => this.flushChanges(), this.opts.changeCoalesceMs);
  }

  private flushChanges(): void {
    clearTimeout(this.changeTimer);
    this.changeTimer = undefined;
    const ids = [...this.changedWorkflows];
    this.changedWorkflows.clear();
    for (const id of ids) {
      this.options.onWorkflowChanged?.(id);
    }
  }

  /** Asks for a pass over runnable items soon (coalesced). */
  kick(): void {
    if (this.stopped || this.dead) {
      return;
    }
    if (this.ticking) {
      this.again = true;
      return;
    }
    this.ticking = true;
    void this.tick().finally(() => {
      this.ticking = false;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  /**
   * Runs until nothing is runnable now (business clock) and no transport backoff is pending, or
   * until `timeoutMs` of wall time passes. For tests and the CLI; the server uses start().
   */
  async drain(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.dead) {
        throw this.dead;
      }
      await this.sweep();
      const claimed = await this.claimAndRun();
      await Promise.allSettled([...this.inFlight.values()]);
      if (this.dead) {
        throw this.dead;
      }
      if (claimed > 0) {
        continue;
      }
      const pendingBackoff = await this.nextBackoffMs();
      if (pendingBackoff === null) {
        return;
      }
      if (Date.now() > deadline) {
        throw new Error('drain timed out with work still pending');
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(5, pendingBackoff - Date.now())));
    }
  }

  private async nextBackoffMs(): Promise<number | null> {
    return repo.earliestBackoff(this.options.db, this.options.clock.now().toISOString());
  }

  /** Runs every definition's invariant sweep; returns the workflows it changed. */
  async sweep(): Promise<void> {
    const now = this.options.clock.now();
    for (const definition of this.definitions.values()) {
      const changed = (await definition.sweep?.(createSweepContext(this.options.db, now))) ?? [];
      for (const workflowId of changed) {
        this.workflowChanged(workflowId);
      }
    }
  }

  private lastSweep = { wallMs: 0, clockMs: 0 };

  /** Sweeps at most every 5 s of wall time, or at once after the business clock jumped. */
  private async maybeSweep(): Promise<void> {
    const wallMs = Date.now();
    const clockMs = this.options.clock.now().getTime();
    if (
      wallMs - this.lastSweep.wallMs < 5_000 &&
      Math.abs(clockMs - this.lastSweep.clockMs) < 60_000
    ) {
      return;
    }
    this.lastSweep = { wallMs, clockMs };
    await this.sweep();
  }

  private async tick(): Promise<void> {
    try {
      await this.maybeSweep();
      while (!this.stopped && !this.dead) {
        const claimed = await this.claimAndRun();
        if (claimed === 0) {
          break;
        }
        // Wait for a slot before claiming more.
        if (this.inFlight.size >= this.opts.concurrency) {
          await Promise.race(this.inFlight.values());
        }
      }
    } catch (error) {
      if (!(error instanceof SimulatedCrash)) {
        this.options.onError?.(error, undefined as unknown as WorkflowItemRow);
      }
    }
  }

  private async claimAndRun(): Promise<number> {
    const free = this.opts.concurrency - this.inFlight.size;
    if (free <= 0 || this.dead) {
      return 0;
    }
    // While items run, claim in batches (an eighth of the slots) rather than one claim per
    // finished item: each claim is a write transaction; the next finishing item kicks again.
    if (this.inFlight.size > 0 && free < Math.floor(this.opts.concurrency / 8)) {
      return 0;
    }
    const now = this.options.clock.now();
    const claimed = await repo.claimRunnableItems(this.options.db, {
      now: now.toISOString(),
      nowMs: Date.now(),
      owner: this.owner,
      leaseMs: this.opts.leaseMs,
      limit: free,
      exclude: [...this.inFlight.keys()],
    });
    // One read of the claimed items' workflows per claim, not one per item.
    const workflows =
      claimed.length > 0
        ? new Map(
            (
              await repo.getWorkflowHeadsByIds(this.options.db, [
                ...new Set(claimed.map((i) => i.workflowId)),
              ])
            ).map((w) => [w.id, w]),
          )
        : new Map<string, WorkflowHead>();
    for (const item of claimed) {
      const run = this.runItem(item, workflows.get(item.workflowId))
        .catch((error: unknown) => {
          if (error instanceof SimulatedCrash) {
            this.die(error);
          } else {
            this.options.onError?.(error, item);
          }
        })
        .finally(() => {
          this.inFlight.delete(item.id);
          if (!this.stopped) {
            this.kick();
          }
        });
      this.inFlight.set(item.id, run);
    }
    return claimed.length;
  }

  private die(crash: SimulatedCrash): void {
    this.dead ??= crash;
    this.stopped = true;
    clearInterval(this.timer);
    this.unsubscribeClock?.();
  }

  private checkpoint(point: JournalPoint, item: WorkflowItemRow): void {
    if (this.dead) {
      throw this.dead;
    }
    this.options.crashHook?.(point, item);
  }

  private async runItem(item: WorkflowItemRow, workflow: WorkflowHead | undefined): Promise<void> {
    const { db, clock } = this.options;
    if (!workflow || !['RUNNING', 'WAITING'].includes(workflow.status)) {
      await repo.releaseLease(db, item.id, this.owner);
      return;
    }
    const definition = this.definitions.get(workflow.kind);
    const handler = definition?.steps[item.step];
    const events: NewEvent[] = [];
    const blockers: NewBlocker[] = [];
    let release: { kinds?: string[] } | undefined;
    const renew = setInterval(
      () => {
        void repo
          .renewLease(db, item.id, this.owner, Date.now() + this.opts.leaseMs)
          .catch(() => undefined);
      },
      Math.max(1_000, Math.floor(this.opts.leaseMs / 3)),
    );
    renew.unref();

    const ctx = createStepContext({
      db,
      clock,
      workflow,
      item,
      checkpoint: (point) => this.checkpoint(point, item),
      events,
      blockers,
      onRelease: (r) => {
        release = r;
      },
    });

    let failure: { correlationId?: string; requestId?: string } = {};
    try {
      this.checkpoint('before-step', item);
      let outcome: StepOutcome;
      if (!handler) {
        outcome = {
          type: 'failed',
          code: 'UNKNOWN_STEP',
          message: `No step "${item.step}" for ${workflow.kind}.`,
        };
      } else {
        try {
          outcome = await handler(ctx);
        } catch (error) {
          if (error instanceof SimulatedCrash || this.dead) {
            throw error;
          }
          const { code, message } = describeError(error);
          this.checkpoint('before-outcome', item);
          if (isRetryable(error) && item.attempts + 1 < this.opts.maxAttempts) {
            const backoff = Math.min(
              this.opts.retryMaxMs,
              this.opts.retryBaseMs * 2 ** item.attempts,
            );
            const at = clock.now().toISOString();
            await repo.recordRetryableFailure(db, {
              item,
              owner: this.owner,
              at,
              error: `${code}: ${message}`,
              backoffUntilMs: Date.now() + Math.round(backoff * (0.5 + this.random() / 2)),
              event: {
                itemId: item.id,
                customerTenantId: item.customerTenantId,
                type: 'STEP_RETRY',
                message: `Step ${item.step} failed (${code}: ${message}); retrying (attempt ${item.attempts + 2}).`,
              },
            });
            this.options.logger?.warn(
              {
                workflowId: workflow.id,
                kind: workflow.kind,
                itemId: item.id,
                step: item.step,
                attempt: item.attempts + 1,
                code,
                ...partnerCenterIds(error),
              },
              'workflow step retrying',
            );
            this.workflowChanged(workflow.id);
            return;
          }
          failure = partnerCenterIds(error);
          outcome = { type: 'failed', code, message };
        }
      }
      this.checkpoint('before-outcome', item);
      const at = clock.now();
      const update = toItemUpdate(item, ctx.data, outcome, at, this.opts);
      if (outcome.type === 'failed') {
        events.push({
          itemId: item.id,
          customerTenantId: item.customerTenantId,
          type: 'STEP_FAILED',
          message: `Step ${item.step} failed: ${outcome.code}: ${outcome.message}`,
          data: { code: outcome.code },
        });
      }
      const { applied, workflowStatus } = await repo.applyItemUpdate(db, {
        item,
        owner: this.owner,
        at: at.toISOString(),
        update,
        events,
        blockers,
        ...(release ? { releaseChildren: { ...release, nextRunAt: at.toISOString() } } : {}),
        wakeParent: !('quiet' in outcome && outcome.quiet),
      });
      this.checkpoint('after-outcome', item);
      if (applied) {
        const fields = { workflowId: workflow.id, kind: workflow.kind };
        if (outcome.type === 'failed') {
          this.options.logger?.warn(
            { ...fields, itemId: item.id, step: item.step, code: outcome.code, ...failure },
            'workflow item failed',
          );
        }
        if (workflowStatus === 'COMPLETED' || workflowStatus === 'FAILED') {
          (workflowStatus === 'FAILED'
            ? this.options.logger?.warn
            : this.options.logger?.info
          )?.call(this.options.logger, { ...fields, status: workflowStatus }, 'workflow ended');
        }
        this.workflowChanged(workflow.id);
      }
    } finally {
      clearInterval(renew);
    }
  }
}
