import type { RequestHandler } from 'msw';
import { registerActors } from './autopilot/register-actors.js';
import { createControl, type EmulatorControl } from './control/control.js';
import { createGdapControl, type GdapControl } from './control/gdap-control.js';
import { buildCatalog, Catalog } from './core/catalog.js';
import { VirtualClock, type EmulatorClock } from './core/clock.js';
import type { StateSnapshot } from './core/model.js';
import { EmulatorRuntime, type ResolvedOptions } from './core/runtime.js';
import { Store } from './core/store.js';
import { FaultRegistry, type FaultRule } from './faults/fault-registry.js';
import { controlHandlers } from './handlers/control.handlers.js';
import { gdapControlHandlers } from './handlers/gdap-control.handlers.js';
import { partnerCenterRoutes } from './handlers/index.js';
import { DEFAULT_TOKEN_SECRET, mintToken } from './http/auth.js';
import { buildIsolatedFetch } from './http/isolated-fetch.js';
import { Journal } from './http/journal.js';
import { buildMswHandlers } from './http/msw-handlers.js';
import { Pipeline } from './http/pipeline.js';
import { Router, type ControlRoute, type PcRoute } from './http/router.js';
import { buildStore, mergeAutopilot, scenarioClock } from './scenarios/presets.js';
import type { AutopilotPatch, ScenarioDefinition } from './scenarios/scenario.schema.js';
import { Throttler, type ThrottlingOptions } from './throttling/token-buckets.js';

/** Options of {@link createEmulator}; everything is optional (seams.md). */
export interface EmulatorOptions {
  /** Preset name (`empty`, `demo`, `large`, `large:1000`), a scenario file path, or a scenario object. Default `demo`. */
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
}

/** One emulator instance (seams.md "The emulator's public API"). */
export interface Emulator {
  /** msw handlers: Partner Center `/v1/*` at any origin, ARM `/arm/*` and management.azure.com, control `/_emulator/*`. */
  handlers: RequestHandler[];
  /** A fetch over the handlers (msw `getResponse`), without global interception. */
  fetch: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
  /** The control API, typed (`control.gdap`: GDAP approvals, decisions and settings). */
  control: EmulatorControl & { gdap: GdapControl };
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
  const startClock =
    options.clock?.now ?? scenarioClock(initialScenario, initialSeed) ?? DEFAULT_CLOCK;
  const clock = new VirtualClock(startClock);
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
  };
  const build = (scenario: string | ScenarioDefinition, seed: number): Store => {
    const store = buildStore(scenario, seed, clock.now(), catalog);
    store.autopilot = mergeAutopilot(store.autopilot, options.autopilot);
    return store;
  };
  const rt = new EmulatorRuntime(build(initialScenario, initialSeed), catalog, clock, resolved);
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
    currentScenario = opts.scenario ?? currentScenario;
    currentSeed = opts.seed ?? currentSeed;
    clock.reset(options.clock?.now ?? scenarioClock(currentScenario, currentSeed) ?? DEFAULT_CLOCK);
    rt.store = build(currentScenario, currentSeed);
    faults.remove();
    journal.clear();
    throttler.reset();
  };
  const loadState = (snapshot: StateSnapshot): void => {
    rt.store = Store.fromSnapshot(snapshot);
    clock.reset(snapshot.now);
    throttler.reset();
  };
  const control = Object.assign(
    createControl({ rt, faults, journal, throttler, reset, loadState, tokenFor }),
    { gdap: createGdapControl(rt) },
  );
  const pipeline = new Pipeline({
    rt,
    pcRoutes: new Router<PcRoute>(partnerCenterRoutes()),
    controlRoutes: new Router<ControlRoute>([
      ...controlHandlers(control),
      ...gdapControlHandlers(control.gdap),
    ]),
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
