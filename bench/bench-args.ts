import { API_HEAP_DEFAULT_MB } from './server-process.js';

// `npm run bench [-- --quick] [-- --only=api,workflow,growth,emulator]`: the command line and the
// sizes every benchmark runs at. `--quick` runs everything at about a tenth of the size.

const args = process.argv.slice(2);

export const quick = args.includes('--quick');
// `--response-cache=off`: the API reads without the GraphQL response cache (issue 20), for A/B runs.
export const responseCache = !args.includes('--response-cache=off');

const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');

export const wanted = (name: string): boolean => !only || only.includes(name);

// `--growth=100,500`: other sizes for the growth benchmark.
const growthSizes = args
  .find((a) => a.startsWith('--growth='))
  ?.slice('--growth='.length)
  .split(',')
  .map(Number);

// `--heap=256`: the API process's V8 old-space cap (MB) for the growth runs (default 384: the
// bench's setting for every API process, server-process.ts).
const heapArg = args.find((a) => a.startsWith('--heap='))?.slice('--heap='.length);
export const API_HEAP_MB = heapArg ? Number(heapArg) : API_HEAP_DEFAULT_MB;

// `--workflow-scenario=large-today`: the preset of the workflow benchmark (new-commerce offers).
export const WORKFLOW_SCENARIO =
  args.find((a) => a.startsWith('--workflow-scenario='))?.slice('--workflow-scenario='.length) ??
  'large';

export const log = (message: string): void => {
  process.stderr.write(`[bench] ${message}\n`);
};

export const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;

export const roundOrNull = (n: number | null, digits = 2): number | null =>
  n === null ? null : round(n, digits);

export const SIZE = {
  apiCustomers: quick ? 500 : 5_000,
  apiSeconds: quick ? 3 : 10,
  // Quick mode stays under 4 minutes on an idle 2-core machine (issues 9 and 20).
  workflowCustomers: quick ? 40 : 1_000,
  baselineCustomers: quick ? 1 : 8,
  growth: growthSizes ?? (quick ? [100, 400] : [100, 1_000, 5_000]),
  // The emulator alone: the preset held at 5,000 × 11, a consolidation-like load at these sizes
  // (its growth figure compares them).
  // Quick: 1,000 held (building 5,000 customers alone takes ~30 s of the 4-minute budget).
  emulatorHold: quick ? 1_000 : 5_000,
  emulatorLoad: quick ? [100, 200] : [100, 1_000, 5_000],
};

export const CONNECTIONS = 10;
export const LIMIT_PER_SECOND = 50;
export const LATENCY_MS = 200;
