import { realpathSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { isPresetReference, readScenarioFile, ScenarioError } from './presets.js';
import type { ScenarioDefinition } from './scenario.schema.js';

/** Where a control request may take a scenario from (fixed when the emulator starts). */
export interface ScenarioSources {
  /** Directory of scenario JSON files that `POST /_emulator/reset` may name; none by default. */
  scenarioDir?: string;
  /** The scenario the emulator was started with (a request may name it again). */
  startScenario: string | ScenarioDefinition;
}

const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * Resolves the scenario a control request names: a preset, the start scenario, or a plain file
 * name inside the configured directory. Never a path: `../../etc/passwd`, `/etc/passwd` and
 * symlinks out of the directory are refused, and file errors never quote the file.
 */
export function requestedScenario(
  ref: string | ScenarioDefinition,
  sources: ScenarioSources,
): string | ScenarioDefinition {
  if (typeof ref !== 'string' || isPresetReference(ref) || ref === sources.startScenario) {
    return ref;
  }
  const presets = 'empty, demo, large or large:N';
  if (!sources.scenarioDir) {
    throw new ScenarioError(
      `Unknown scenario: use a preset (${presets}) or a scenario object; files are read only from a scenario directory configured at start (--scenario-dir).`,
    );
  }
  if (!FILE_NAME.test(ref)) {
    throw new ScenarioError(
      `Unknown scenario: use a preset (${presets}), a scenario object, or the name of a file in the scenario directory (letters, digits, '.', '_', '-').`,
    );
  }
  const dir = realpathSync(sources.scenarioDir);
  const name = ref.toLowerCase().endsWith('.json') ? ref : `${ref}.json`;
  let file: string;
  try {
    file = realpathSync(join(dir, name));
  } catch {
    throw new ScenarioError(`No scenario ${name} in the scenario directory.`);
  }
  const rel = relative(dir, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
    throw new ScenarioError(`No scenario ${name} in the scenario directory.`);
  }
  return readScenarioFile(file, name);
}
