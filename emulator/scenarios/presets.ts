import { readFileSync } from 'node:fs';
import type { Catalog } from '../core/catalog.js';
import type { AutopilotConfig } from '../core/model.js';
import { deriveRng, Rng } from '../core/rng.js';
import { GdapState, TenantDataState } from '../core/gdap.state.js';
import { DEFAULT_AUTOPILOT, Store } from '../core/store.js';
import { ScenarioBuilder } from './build-scenario.js';
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

export const PRESET_NAMES = ['empty', 'demo', 'large'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

const DEFAULT_LARGE: LargeSize = { customers: 5000, subscriptionsPerCustomer: 10 };

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
      Object.entries(patch).filter(([k]) => k !== 'customers' && k !== 'support'),
    ),
    customers: { ...base.customers, ...(patch.customers ?? {}) },
    support: { ...base.support, ...(patch.support ?? {}) },
  } as AutopilotConfig;
}

/**
 * Resolves a scenario reference: a preset name (`demo`, `empty`, `large`, `large:1000` for 1,000
 * customers), a path to a scenario JSON file, or a scenario object.
 */
export function resolveScenario(input: string | ScenarioDefinition, seed: number): ParsedScenario {
  if (typeof input !== 'string') {
    return scenarioSchema.parse(input);
  }
  const [name, arg] = input.split(':');
  if (name === 'empty') {
    return scenarioSchema.parse({ name: 'empty' });
  }
  if (name === 'demo') {
    return scenarioSchema.parse(withGdapDemo(demoScenario(seed)));
  }
  if (name === 'large') {
    const customers = arg ? Number(arg) : DEFAULT_LARGE.customers;
    return scenarioSchema.parse(largeScenario(seed, { ...DEFAULT_LARGE, customers }));
  }
  // Anything else is a file path.
  const text = readFileSync(input, 'utf8');
  return scenarioSchema.parse(JSON.parse(text));
}

/** Builds a fresh store for a scenario. */
export function buildStore(
  input: string | ScenarioDefinition,
  seed: number,
  now: Date,
  catalog: Catalog,
): Store {
  const parsed = resolveScenario(input, seed);
  const effectiveSeed = parsed.seed ?? seed;
  const store = new Store();
  store.seed = effectiveSeed;
  store.rng = new Rng(deriveRng(effectiveSeed, 'store').state);
  store.autopilot = structuredClone(DEFAULT_AUTOPILOT);
  store.gdap = new GdapState(effectiveSeed);
  store.tenantData = new TenantDataState(effectiveSeed);
  const builder = new ScenarioBuilder(store, catalog, now);
  if (parsed.extends && parsed.extends !== 'empty') {
    const base =
      parsed.extends === 'large'
        ? scenarioSchema.parse(largeScenario(effectiveSeed, parsed.size ?? DEFAULT_LARGE))
        : scenarioSchema.parse(withGdapDemo(demoScenario(effectiveSeed)));
    builder.build(base);
    applyGdapSettings(store, base.gdap);
  }
  builder.build(parsed);
  applyGdapSettings(store, parsed.gdap);
  store.scenarioName = parsed.name;
  store.autopilot = mergeAutopilot(store.autopilot, parsed.autopilot);
  return store;
}

/** The clock start declared by a scenario, if any. */
export function scenarioClock(
  input: string | ScenarioDefinition,
  seed: number,
): string | undefined {
  if (
    typeof input === 'string' &&
    (PRESET_NAMES as readonly string[]).includes(input.split(':')[0] ?? '')
  ) {
    return undefined;
  }
  return resolveScenario(input, seed).clock;
}
