import type { RequestHandler } from 'msw';
import { registerActors } from './autopilot/register-actors.js';
import { createCommerceControl, type CommerceControl } from './control/commerce-control.js';
import { createControl, type EmulatorControl } from './control/control.js';
import { createGdapControl, type GdapControl } from './control/gdap-control.js';
import { buildCatalog, Catalog } from './core/catalog.js';
import {
  DEFAULT_MAX_ADVANCE_MS,
  parseInstant,
  VirtualClock,
  type EmulatorClock,
} from './core/clock.js';
import { HOUR_MS } from './core/duration.js';
import type { StateSnapshot } from './core/model.js';
import { EmulatorRuntime, type ResolvedOptions } from './core/runtime.js';
import { Store } from './core/store.js';
import { FaultRegistry, type FaultRule } from './faults/fault-registry.js';
import { commerceControlHandlers } from './handlers/commerce-control.handlers.js';
import { controlHandlers } from './handlers/control.handlers.js';
import { gdapControlHandlers } from './handlers/gdap-control.handlers.js';
import { partnerCenterRoutes } from './handlers/index.js';
import { DEFAULT_TOKEN_SECRET, mintToken } from './http/auth.js';
import { buildIsolatedFetch } from './http/isolated-fetch.js';
import { Journal } from './http/journal.js';
import { DEFAULT_RETENTION, type RetentionOptions } from './core/retention.js';
import { buildMswHandlers } from './http/msw-handlers.js';
import { Pipeline } from './http/pipeline.js';
import { Router, type ControlRoute, type PcRoute } from './http/router.js';
import {
  buildStore,
  DEFAULT_SCENARIO_LIMITS,
  mergeAutopilot,
  scenarioClock,
  type ScenarioLimits,
} from './scenarios/presets.js';
import type { AutopilotPatch, ScenarioDefinition } from './scenarios/scenario.schema.js';
import { Throttler, type ThrottlingOptions } from './throttling/token-buckets.js';

/** Options of {@link createEmulator}; everything is optional (seams.md). */
export interface EmulatorOptions {
  /** Preset name (`empty`, `demo`, `demo-today`, `large`, `large:1000`, `large-today[:N]`), a scenario file path, or a scenario object. Default `demo`. */
  scenario?: string | ScenarioDefinition;
  /** Seed for every id, name and date the emulator invents. Default 1. */
  seed?: number;
  /** Start instant of the virtual clock. Default 2026-01-05T08:00:00Z (a Monday). */
  clock?: { now: string };
  /** Base URL for relative `emulator.fetch` calls. Default https://api.partnercenter.microsoft.com. */
  baseUrl?: string;
  /** Check HS256 signatures of bearer tokens (default off: only `tid` is read). */
  auth?: { verifySignature?: boolean; secret?: string };
  /** Throttling limits; see README "Throttling". */
  throttling?: ThrottlingOptions;
  /** Fault rules active from the start. */
  faults?: FaultRule[];
  /** How long a `hang` fault holds a request when the rule has no `hangMs`. Default 30 s. */
  hangMs?: number;
  /** Autopilot settings merged over the scenario's. */
  autopilot?: AutopilotPatch;
  paging?: Partial<ResolvedOptions['paging']>;
  /** Maximum journal entries kept. Default 10,000. */
  journalLimit?: number;
  /**
   * History kept besides the state (README "Memory"): MS-RequestId replay records (count, time
   * to live) and audit records (days, count per partner tenant).
   */
  retention?: Partial<RetentionOptions>;
  /**
   * Require this token on the control API (`/_emulator/*`) for shared set-ups, sent as
   * `Authorization: Bearer <token>` or `X-Emulator-Control-Token`. `GET /_emulator/clock` and
   * `GET /_emulator/partners` stay open (API replicas read them). Default: no token.
   */
  controlToken?: string;
  /** Directory of scenario files that `POST /_emulator/reset` may name. Default: none. */
  scenarioDir?: string;
  /** Size and time bounds (README "Limits"). */
  limits?: {
    /** Most customers in a scenario, `large:N` included. Default 10,000. */
    maxCustomers?: number;
    /** Most subscriptions per customer of the large preset. Default 50. */
    maxSubscriptionsPerCustomer?: number;
    /** Longest single clock advance, in hours. Default 8,784 (366 days). */
    maxClockAdvanceHours?: number;
  };
}

/** One emulator instance (seams.md "The emulator's public API"). */
export interface Emulator {
  /** msw handlers: Partner Center `/v1/*` at any origin, ARM `/arm/*` and management.azure.com, control `/_emulator/*`. */
  handlers: RequestHandler[];
  /** A fetch over the handlers (msw `getResponse`), without global interception. */
  fetch: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
  /** The control API, typed (`control.gdap`: GDAP approvals, decisions and settings; transfers and migrations: {@link CommerceControl}). */
  control: EmulatorControl & CommerceControl & { gdap: GdapControl };
  /** The virtual clock. */
  clock: EmulatorClock;
  /** A JWT whose `tid` is the partner tenant id, accepted by this emulator. */
  tokenFor(partnerTenantId: string): string;
}

export const DEFAULT_CLOCK = '2026-01-05T08:00:00Z';

/**
 * Creates an emulator with its own store, clock, faults, throttling and journal. Nothing is shared
 * between instances, so tests can run many side by side.
 */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const catalog = new Catalog(buildCatalog());
  const initialScenario = options.scenario ?? 'demo';
  const initialSeed = options.seed ?? 1;
  const limits: ScenarioLimits = {
    maxCustomers: options.limits?.maxCustomers ?? DEFAULT_SCENARIO_LIMITS.maxCustomers,
    maxSubscriptionsPerCustomer:
      options.limits?.maxSubscriptionsPerCustomer ??
      DEFAULT_SCENARIO_LIMITS.maxSubscriptionsPerCustomer,
  };
  const startOf = (scenario: string | ScenarioDefinition, seed: number): string =>
    options.clock?.now ?? scenarioClock(scenario, seed, limits) ?? DEFAULT_CLOCK;
  const clock = new VirtualClock(
    startOf(initialScenario, initialSeed),
    options.limits?.maxClockAdvanceHours !== undefined
      ? options.limits.maxClockAdvanceHours * HOUR_MS
      : DEFAULT_MAX_ADVANCE_MS,
  );
  const resolved: ResolvedOptions = {
    baseUrl: options.baseUrl ?? 'https://api.partnercenter.microsoft.com',
    auth: {
      verifySignature: options.auth?.verifySignature ?? false,
      secret: options.auth?.secret ?? DEFAULT_TOKEN_SECRET,
    },
    hangMs: options.hangMs ?? 30_000,
    paging: {
      customersDefault: 100,
      customersMax: 500,
      auditDefault: 500,
      auditMax: 500,
      serviceRequestsDefault: 100,
      offersDefault: 100,
      ...(options.paging ?? {}),
    },
    journalLimit: options.journalLimit ?? 10_000,
    retention: { ...DEFAULT_RETENTION, ...(options.retention ?? {}) },
  };
  const build = (scenario: string | ScenarioDefinition, seed: number, now: Date): Store => {
    const store = buildStore(scenario, seed, now, catalog, limits);
    store.autopilot = mergeAutopilot(store.autopilot, options.autopilot);
    return store;
  };
  const rt = new EmulatorRuntime(
    build(initialScenario, initialSeed, clock.now()),
    catalog,
    clock,
    resolved,
  );
  clock.setRunner((target) => rt.runDue(target));
  registerActors(rt);

  const faults = new FaultRegistry(initialSeed);
  for (const rule of options.faults ?? []) {
    faults.add(rule);
  }
  const throttler = new Throttler(options.throttling, () => clock.now().getTime());
  const journal = new Journal(resolved.journalLimit);
  const tokenFor = (tenantId: string): string =>
    mintToken(tenantId, resolved.auth.secret, clock.now());

  let currentScenario = initialScenario;
  let currentSeed = initialSeed;
  const reset = (opts: { scenario?: string | ScenarioDefinition; seed?: number } = {}): void => {
    const scenario = opts.scenario ?? currentScenario;
    const seed = opts.seed ?? currentSeed;
    // Build first: a scenario that cannot be built leaves the running state untouched.
    const start = startOf(scenario, seed);
    const probe = new VirtualClock(start);
    const store = build(scenario, seed, probe.now());
    currentScenario = scenario;
    currentSeed = seed;
    clock.reset(start);
    rt.store = store;
    faults.remove();
    journal.clear();
    throttler.reset();
  };
  const loadState = (snapshot: StateSnapshot): void => {
    const at = parseInstant(String(snapshot.now)).toISOString();
    const store = Store.fromSnapshot(snapshot);
    rt.store = store;
    clock.reset(at);
    throttler.reset();
  };
  const commerce = createCommerceControl(rt);
  const control: EmulatorControl & CommerceControl & { gdap: GdapControl } = Object.assign(
    createControl({ rt, faults, journal, throttler, reset, loadState, tokenFor }),
    commerce,
    { gdap: createGdapControl(rt) },
  );
  const pipeline = new Pipeline({
    rt,
    pcRoutes: new Router<PcRoute>(partnerCenterRoutes()),
    controlRoutes: new Router<ControlRoute>([
      ...controlHandlers(control, {
        scenarios: { scenarioDir: options.scenarioDir, startScenario: initialScenario },
      }),
      ...gdapControlHandlers(control.gdap),
      ...commerceControlHandlers(commerce),
    ]),
    controlToken: options.controlToken,
    faults,
    throttler,
    journal,
  });
  const handlers = buildMswHandlers(pipeline);
  return {
    handlers,
    fetch: buildIsolatedFetch(handlers, resolved.baseUrl),
    control,
    clock,
    tokenFor,
  };
}
