import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmulator, type FaultRule } from 'partner-center-emulator';
import { clockFrom } from '../../server/shared/clock.js';
import { SimulatedCrash } from '../../server/workflows/engine/simulated-crash.js';
import { startTestApp } from '../../test/support/app.js';
import { allSettled } from './soak-graphql.js';
import { checkInvariants } from './soak-invariants.js';
import { startAll } from './soak-start.js';
import { type RoundReport, type SoakOptions, type SoakReport, type Started } from './soak.types.js';

export type { RoundReport, SoakOptions, SoakReport, WorkflowOutcome } from './soak.types.js';

/**
 * The fault/crash soak (issue 8): workflows of all four kinds run at once on the `demo` scenario
 * while Partner Center answers with seeded 429s, 5xx, connection resets and hangs, and the
 * "process" is killed at seeded journal points and restarted on the same database file. Then the
 * faults stop, everything plays to its end, and the invariants are checked: no duplicate order,
 * seats equal the inventory, no overlap beyond the same day, no source left active, every workflow
 * COMPLETED (or waiting on a real blocker). Everything derives from the seed, so a failure repeats.
 */

/** Clock steps of PT2H after everything settled: past the soak's transfer watch (PT2H). */
const SWEEP_WATCH_STEPS = 2;

/** mulberry32: a small seeded generator (the soak's own; the emulator has its own per seed). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const rounds: RoundReport[] = [];
  for (let round = 1; ; round++) {
    const report = await runRound(options, round, log);
    rounds.push(report);
    log(
      `round ${round} (emulator seed ${report.emulatorSeed}): ${report.workflows.map((w) => `${w.kind}=${w.status}`).join(' ')}; kills ${report.kills}, faults ${report.faultsFired}/${report.requests} requests, ${report.clockSteps} clock steps, ${report.checks} checks, ${report.violations.length} violations, ${Math.round(report.wallMs / 1000)} s`,
    );
    for (const v of report.violations) {
      log(`  VIOLATION ${v}`);
    }
    if (Date.now() - started >= options.durationMs) {
      break;
    }
  }
  const violations = rounds.flatMap((r) => r.violations.map((v) => `round ${r.round}: ${v}`));
  return { seed: options.seed, rounds, violations, ok: violations.length === 0 };
}

async function runRound(
  options: SoakOptions,
  round: number,
  log: (line: string) => void,
): Promise<RoundReport> {
  const wallStart = Date.now();
  const emulatorSeed = options.seed * 1000 + round;
  const random = seededRandom(emulatorSeed);
  const dir = mkdtempSync(join(tmpdir(), 'soak-'));
  const emulator = createEmulator({
    scenario: options.scenario ?? 'demo',
    seed: emulatorSeed,
    hangMs: 400,
  });
  const clock = clockFrom(emulator.clock);
  const env = {
    WORKFLOW_RUNNER: 'off',
    DATABASE_URL: join(dir, 'soak.db'),
    // The client's own rate limit is real-time; the emulator enforces Partner Center's on its clock.
    PARTNER_CENTER_RATE_PER_MINUTE: '100000',
    PARTNER_CENTER_READ_CACHE_TTL: 'PT0S',
    // The transfer-integrity sweep checks each completed transfer once, two business hours after
    // completion (production: a day), so the watch phase below sees it.
    CONSOLIDATION_TRANSFER_WATCH: 'PT2H',
    CONSOLIDATION_TRANSFER_WATCH_INTERVAL: 'PT2H',
  };
  const killProbability = options.killProbability ?? 0.03;
  const maxKills = options.maxKills ?? 3;
  let kills = 0;
  let chaos = true;
  const crashHook = (point: string) => {
    if (chaos && kills < maxKills && random() < killProbability) {
      kills += 1;
      throw new SimulatedCrash(`kill ${kills} at ${point}`);
    }
  };
  const boot = () =>
    startTestApp({
      emulator,
      clock,
      env,
      runner: { retryBaseMs: 1, retryMaxMs: 4, leaseMs: 200, maxAttempts: 40, crashHook },
      // Shorter than a hang, so hung requests time out and are retried.
      partnerCenter: { retry: { maxAttempts: 2 }, timeoutMs: 250 },
    });
  let t = await boot();
  const violations: string[] = [];
  let clockSteps = 0;
  const workflows: Started[] = [];
  try {
    workflows.push(...(await startAll(t, emulator, log)));
    const p = options.faultProbability ?? 0.04;
    const faults: FaultRule[] = [
      { id: 'soak-429', status: 429, retryAfterSeconds: 1, probability: p, seed: emulatorSeed },
      { id: 'soak-5xx', status: 503, probability: p / 2, seed: emulatorSeed + 1 },
      { id: 'soak-reset', kind: 'reset', probability: p / 2, seed: emulatorSeed + 2 },
      { id: 'soak-hang', kind: 'hang', hangMs: 400, probability: p / 4, seed: emulatorSeed + 3 },
    ];
    for (const rule of faults) {
      emulator.control.addFault(rule);
    }

    // Chaos phase: faults and kills while the clock moves.
    const chaosSteps = 12 + Math.floor(random() * 12);
    const play = async (steps: number, step: string) => {
      for (let i = 0; i < steps; i++) {
        try {
          await t.app.runner.drain();
        } catch (error) {
          if (!(error instanceof SimulatedCrash)) {
            throw error;
          }
          // The process died: only the database file survives. A new one takes over.
          await t.close();
          await new Promise((r) => setTimeout(r, 250)); // its leases expire
          t = await boot();
          continue;
        }
        if (await allSettled(t, workflows)) {
          return;
        }
        await emulator.clock.advance(step);
        clockSteps += 1;
      }
    };
    await play(chaosSteps, 'PT1H');
    const faultsFired = emulator.control.faults().reduce((n, f) => n + f.fired, 0);
    chaos = false;
    emulator.control.clearFaults();
    // Recovery phase: everything plays to its end (waits are on the business clock).
    await play(400, 'PT2H');
    // Watch phase: the sweeps' checks after completion (their blockers are invariant violations).
    for (let i = 0; i < SWEEP_WATCH_STEPS; i++) {
      await emulator.clock.advance('PT2H');
      clockSteps += 1;
      await t.app.runner.drain();
    }

    const checked = { n: 0 };
    const outcomes = await checkInvariants(t, emulator, workflows, violations, checked);
    return {
      round,
      emulatorSeed,
      kills,
      faultsFired,
      requests: emulator.control.requests().length,
      clockSteps,
      workflows: outcomes,
      checks: checked.n,
      violations,
      wallMs: Date.now() - wallStart,
    };
  } finally {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
