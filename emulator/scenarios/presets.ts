import { readFileSync } from 'node:fs';
import type { Catalog } from '../core/catalog.js';
import type { AutopilotConfig } from '../core/model.js';
import { deriveRng, Rng } from '../core/rng.js';
import { GdapState, TenantDataState } from '../core/gdap.state.js';
import { DEFAULT_AUTOPILOT, Store } from '../core/store.js';
import { ScenarioBuilder } from './build-scenario.js';
import { demoTodayScenario } from './demo-today.preset.js';
import { demoScenario } from './demo.preset.js';
import { applyGdapSettings } from './gdap.scenario.js';
import { withGdapDemo } from './gdap-demo.preset.js';
import { largeScenario, type LargeSize } from './large.preset.js';
import {
  scenarioSchema,
  type AutopilotPatch,
  type ParsedScenario,
  type ScenarioDefinition,
} from './scenario.schema.js';

export const PRESET_NAMES = ['empty', 'demo', 'large', 'demo-today', 'large-today'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

const DEFAULT_LARGE: LargeSize = { customers: 5000, subscriptionsPerCustomer: 10 };

/**
 * Size bounds of a scenario, so that a reset cannot exhaust memory (the emulator can share the
 * API's process). 10,000 customers × 10 subscriptions build in 3–6 s and ~270 MB of heap (measured).
 */
export interface ScenarioLimits {
  /** Most customers in one scenario (`large:N`, `size.customers`, listed customers). */
  maxCustomers: number;
  /** Most subscriptions per customer in `size.subscriptionsPerCustomer`. */
  maxSubscriptionsPerCustomer: number;
}

export const DEFAULT_SCENARIO_LIMITS: ScenarioLimits = {
  maxCustomers: 10_000,
  maxSubscriptionsPerCustomer: 50,
};

/** A scenario reference or definition that cannot be used; the message is safe to show. */
export class ScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}

function largeCustomers(arg: string | undefined, limits: ScenarioLimits): number {
  if (arg === undefined) {
    return Math.min(DEFAULT_LARGE.customers, limits.maxCustomers);
  }
  const n = /^\d{1,9}$/.test(arg) ? Number(arg) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > limits.maxCustomers) {
    throw new ScenarioError(
      `The large preset takes 1 to ${limits.maxCustomers} customers (large:N).`,
    );
  }
  return n;
}

function checkSize(parsed: ParsedScenario, limits: ScenarioLimits): void {
  const fromSize =
    parsed.extends === 'large'
      ? (parsed.size?.customers ?? Math.min(DEFAULT_LARGE.customers, limits.maxCustomers))
      : 0;
  if (fromSize + parsed.customers.length > limits.maxCustomers) {
    throw new ScenarioError(`A scenario may have at most ${limits.maxCustomers} customers.`);
  }
  if ((parsed.size?.subscriptionsPerCustomer ?? 0) > limits.maxSubscriptionsPerCustomer) {
    throw new ScenarioError(
      `size.subscriptionsPerCustomer may be at most ${limits.maxSubscriptionsPerCustomer}.`,
    );
  }
}

/** Whether a scenario reference names a preset (`empty`, `demo`, `large`, `large:N`). */
export function isPresetReference(input: string): boolean {
  const [name, arg, ...rest] = input.split(':');
  return (
    rest.length === 0 &&
    (PRESET_NAMES as readonly string[]).includes(name ?? '') &&
    (arg === undefined || name === 'large' || name === 'large-today')
  );
}

/** Merges an autopilot patch over a config. */
export function mergeAutopilot(
  base: AutopilotConfig,
  patch: AutopilotPatch | undefined,
): AutopilotConfig {
  if (!patch) {
    return base;
  }
  return {
    ...base,
    ...Object.fromEntries(
      Object.entries(patch).filter(
        ([k]) => k !== 'customers' && k !== 'support' && k !== 'commerce',
      ),
    ),
    customers: { ...base.customers, ...(patch.customers ?? {}) },
    support: { ...base.support, ...(patch.support ?? {}) },
    commerce: { ...base.commerce, ...(patch.commerce ?? {}) },
  } as AutopilotConfig;
}

/**
 * Resolves a scenario reference: a preset name (`demo`, `empty`, `large`, `large:1000` for 1,000
 * customers), a path to a scenario JSON file, or a scenario object.
 */
export function resolveScenario(
  input: string | ScenarioDefinition,
  seed: number,
  limits: ScenarioLimits = DEFAULT_SCENARIO_LIMITS,
): ParsedScenario {
  if (typeof input !== 'string') {
    const parsed = scenarioSchema.parse(input);
    checkSize(parsed, limits);
    return parsed;
  }
  if (isPresetReference(input)) {
    const [name, arg] = input.split(':');
    if (name === 'empty') {
      return scenarioSchema.parse({ name: 'empty' });
    }
    if (name === 'demo') {
      return scenarioSchema.parse(withGdapDemo(demoScenario(seed)));
    }
    if (name === 'demo-today') {
      return scenarioSchema.parse(withGdapDemo(demoTodayScenario(seed)));
    }
    const customers = largeCustomers(arg, limits);
    return scenarioSchema.parse(
      largeScenario(
        seed,
        { ...DEFAULT_LARGE, customers },
        name === 'large-today' ? 'today' : 'legacy',
      ),
    );
  }
  // Anything else is a file path: only from the emulator's own configuration (createEmulator,
  // the CLI), never from a control request (see scenario-source.ts).
  return resolveScenario(readScenarioFile(input), seed, limits);
}

/** Reads and parses a scenario JSON file; errors never quote the file's content. */
export function readScenarioFile(file: string, shownAs = file): ScenarioDefinition {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ScenarioError(`The scenario file ${shownAs} cannot be read.`);
  }
  try {
    return JSON.parse(text) as ScenarioDefinition;
  } catch {
    throw new ScenarioError(`The scenario file ${shownAs} is not valid JSON.`);
  }
}

/** Builds a fresh store for a scenario. */
export function buildStore(
  input: string | ScenarioDefinition,
  seed: number,
  now: Date,
  catalog: Catalog,
  limits: ScenarioLimits = DEFAULT_SCENARIO_LIMITS,
): Store {
  const parsed = resolveScenario(input, seed, limits);
  const effectiveSeed = parsed.seed ?? seed;
  const store = new Store();
  store.seed = effectiveSeed;
  store.rng = new Rng(deriveRng(effectiveSeed, 'store').state);
  store.autopilot = structuredClone(DEFAULT_AUTOPILOT);
  store.gdap = new GdapState(effectiveSeed);
  store.tenantData = new TenantDataState(effectiveSeed);
  // Before building: scenario transfers take their expiry from the scenario's autopilot.
  store.autopilot = mergeAutopilot(store.autopilot, parsed.autopilot);
  const builder = new ScenarioBuilder(store, catalog, now);
  if (parsed.extends && parsed.extends !== 'empty') {
    const base =
      parsed.extends === 'large' || parsed.extends === 'large-today'
        ? scenarioSchema.parse(
            largeScenario(
              effectiveSeed,
              {
                ...DEFAULT_LARGE,
                ...parsed.size,
                customers:
                  parsed.size?.customers ?? Math.min(DEFAULT_LARGE.customers, limits.maxCustomers),
              },
              parsed.extends === 'large-today' ? 'today' : 'legacy',
            ),
          )
        : scenarioSchema.parse(
            withGdapDemo(
              parsed.extends === 'demo-today'
                ? demoTodayScenario(effectiveSeed)
                : demoScenario(effectiveSeed),
            ),
          );
    builder.build(base);
    applyGdapSettings(store, base.gdap);
  }
  builder.build(parsed);
  applyGdapSettings(store, parsed.gdap);
  store.scenarioName = parsed.name;
  return store;
}

/** The clock start declared by a scenario, if any. */
export function scenarioClock(
  input: string | ScenarioDefinition,
  seed: number,
  limits: ScenarioLimits = DEFAULT_SCENARIO_LIMITS,
): string | undefined {
  if (typeof input === 'string' && isPresetReference(input)) {
    return undefined;
  }
  return resolveScenario(input, seed, limits).clock;
}
