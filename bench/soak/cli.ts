import 'reflect-metadata';
import { runSoak } from './soak.js';

// npm run soak -- --seed N --minutes M [--kill-probability P] [--fault-probability P] [--scenario demo-today]
// Prints the seed first: a failing run repeats exactly with the same seed.

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(
    'usage: npm run soak -- [--seed <integer>] [--minutes <number, default 1>] [--kill-probability <0..1>] [--fault-probability <0..1>]\n' +
      'Without --seed a random seed is chosen and printed; the same seed repeats the run exactly.',
  );
  process.exit(0);
}
const seed = Number(arg('seed') ?? Math.floor(Math.random() * 1_000_000));
const minutes = Number(arg('minutes') ?? 1);
if (!Number.isInteger(seed) || !(minutes >= 0)) {
  console.error('usage: npm run soak -- --seed <integer> --minutes <number>');
  process.exit(2);
}
console.log(
  `soak: seed ${seed}, ${minutes} min (repeat with: npm run soak -- --seed ${seed} --minutes ${minutes})`,
);
const report = await runSoak({
  seed,
  durationMs: minutes * 60_000,
  ...(arg('kill-probability') ? { killProbability: Number(arg('kill-probability')) } : {}),
  ...(arg('fault-probability') ? { faultProbability: Number(arg('fault-probability')) } : {}),
  ...(arg('scenario') ? { scenario: arg('scenario') } : {}),
  log: (line) => console.log(line),
});
const kills = report.rounds.reduce((n, r) => n + r.kills, 0);
const faults = report.rounds.reduce((n, r) => n + r.faultsFired, 0);
console.log(
  `soak: seed ${seed}: ${report.rounds.length} rounds, ${report.rounds.length * 4} workflows, ${kills} kills, ${faults} faults; ${report.ok ? 'every invariant holds' : `${report.violations.length} violations`}`,
);
// The invariants the closing notes quote, counted by kind (a violation can count in two kinds).
const count = (pattern: RegExp) => report.violations.filter((v) => pattern.test(v)).length;
console.log(
  `soak: seed ${seed}: duplicate orders ${count(/created \d+ orders|\d+ Azure plans for|: (?!1 )\d+ subscriptions with/)}, seat mismatches ${count(/seats/)}, early suspensions ${count(/early suspension/)}, late suspensions ${count(/overlap of|left active/)}, sweep blockers ${count(/sweep blocker/)}`,
);
for (const v of report.violations) {
  console.log(`  ${v}`);
}
process.exit(report.ok ? 0 : 1);
