import type { Catalog } from './catalog.js';
import { MAX_INSTANT_MS, type VirtualClock } from './clock.js';
import type {
  ActionKind,
  CustomerRecord,
  PartnerTenantRecord,
  ScheduledActionRecord,
} from './model.js';
import type { RetentionOptions } from './retention.js';
import type { Store } from './store.js';

/** Options after defaults are applied. */
export interface ResolvedOptions {
  baseUrl: string;
  auth: { verifySignature: boolean; secret: string };
  /** How long a `hang` fault holds a request (unless the rule says otherwise or the client aborts). */
  hangMs: number;
  paging: {
    customersDefault: number;
    customersMax: number;
    auditDefault: number;
    auditMax: number;
    serviceRequestsDefault: number;
    offersDefault: number;
  };
  journalLimit: number;
  /** What history is kept (replay records, audit records): core/retention.ts. */
  retention: RetentionOptions;
}

/** Who made a change, for audit records. */
export interface Actor {
  partnerTenantId: string;
  userPrincipalName: string;
  applicationId: string;
  correlationId: string;
}

export type ActionExecutor = (rt: EmulatorRuntime, action: ScheduledActionRecord) => void;

/**
 * What domain code tells the actors. The autopilot registers the reactions, so `domain/` never
 * imports `autopilot/` (the actors sit above the domain).
 */
export interface RuntimeHooks {
  /** A purchase or an agreements read needs the customer's MCA. */
  mcaNeeded(customer: CustomerRecord): void;
  /** A partner tenant looked up a customer it has no relationship with (a 404). */
  customerSought(tenant: PartnerTenantRecord, customer: CustomerRecord): void;
}

/**
 * Everything one emulator instance shares between its handlers, actors and control API. The store
 * is replaced on reset/state load, so code must read `rt.store` each time rather than keep it.
 */
export class EmulatorRuntime {
  private readonly changeListeners = new Set<() => void>();
  readonly executors = new Map<ActionKind, ActionExecutor>();
  readonly hooks: RuntimeHooks = {
    mcaNeeded: () => undefined,
    customerSought: () => undefined,
  };
  private actionSeq = 0;

  constructor(
    public store: Store,
    readonly catalog: Catalog,
    readonly clock: VirtualClock,
    readonly options: ResolvedOptions,
  ) {}

  now(): Date {
    return this.clock.now();
  }

  nowIso(): string {
    return this.clock.now().toISOString();
  }

  /** A deterministic GUID from the store's seeded generator. */
  newId(): string {
    return this.store.rng.uuid();
  }

  newEtag(): string {
    return Buffer.from(this.store.rng.uuid()).toString('base64url').slice(0, 24);
  }

  /** Schedules an action on the virtual clock; due actions run on the next request or advance. */
  schedule(kind: ActionKind, target: Record<string, string>, dueAt: Date): ScheduledActionRecord {
    this.actionSeq += 1;
    // An actor delay past the clock's range means "never within the emulated time".
    const due =
      Number.isNaN(dueAt.getTime()) || dueAt.getTime() > MAX_INSTANT_MS
        ? new Date(MAX_INSTANT_MS)
        : dueAt;
    const action: ScheduledActionRecord = {
      id: `${kind}-${this.store.actions.length}-${this.actionSeq}-${this.store.rng.int(0, 1e9)}`,
      dueAt: due.toISOString(),
      kind,
      target,
      createdAt: this.nowIso(),
    };
    this.store.actions.push(action);
    return action;
  }

  hasPending(kind: ActionKind, match: (t: Record<string, string>) => boolean): boolean {
    return this.store.actions.some((a) => a.kind === kind && match(a.target));
  }

  /** Runs every action due at or before `target`, earliest first, moving the clock to each. */
  runDue(target: Date = this.now()): number {
    let ran = 0;
    for (let guard = 0; guard < 100_000; guard += 1) {
      let next: ScheduledActionRecord | undefined;
      let index = -1;
      this.store.actions.forEach((a, i) => {
        if (Date.parse(a.dueAt) <= target.getTime() && (!next || a.dueAt < next.dueAt)) {
          next = a;
          index = i;
        }
      });
      if (!next) {
        break;
      }
      this.store.actions.splice(index, 1);
      this.clock.moveTo(new Date(next.dueAt));
      const exec = this.executors.get(next.kind);
      if (exec) {
        exec(this, next);
      }
      ran += 1;
    }
    if (ran > 0) {
      this.notifyChange();
    }
    return ran;
  }

  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => {
      this.changeListeners.delete(listener);
    };
  }

  notifyChange(): void {
    for (const l of [...this.changeListeners]) {
      l();
    }
  }
}
