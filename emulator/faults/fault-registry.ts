import { z } from 'zod';
import { deriveRng, type Rng } from '../core/rng.js';

/**
 * Declarative fault rules (issue 3 §6; emulator-anchors.md §4.8). A rule matches on method, path
 * glob, partner tenant and customer; it fires on every match, on the nth match, on the first N
 * (`times`), or with a seeded probability. The effect is a Partner Center error (`status` + `code`),
 * a 429 with `Retry-After`, a 5xx, a connection reset, a hang, malformed JSON, or added latency.
 */
const MAX_DELAY_MS = 600_000;

export const faultRuleSchema = z
  .object({
    id: z.string().min(1).max(128).optional(),
    method: z.string().max(16).optional(),
    /** Glob over the request path (`*` = any characters, `?` = one), e.g. `/v1/customers*`. */
    path: z.string().max(1024).optional(),
    tenantId: z.string().max(64).optional(),
    customerTenantId: z.string().max(64).optional(),
    nth: z.number().int().positive().optional(),
    times: z.number().int().positive().optional(),
    probability: z.number().min(0).max(1).optional(),
    seed: z.number().int().optional(),
    // A Fetch Response cannot carry 1xx, and 204/205/304 cannot have the error body.
    status: z
      .number()
      .int()
      .min(200)
      .max(599)
      .refine((s) => ![204, 205, 304].includes(s), 'status 204, 205 and 304 cannot carry a body')
      .optional(),
    code: z.union([z.number(), z.string().max(64)]).optional(),
    description: z.string().max(1024).optional(),
    retryAfterSeconds: z.number().nonnegative().max(86_400).optional(),
    kind: z.enum(['error', 'reset', 'hang', 'malformed', 'latency']).optional(),
    /** At most 10 minutes: longer timers overflow to immediate in Node. */
    latencyMs: z.number().nonnegative().max(MAX_DELAY_MS).optional(),
    hangMs: z.number().nonnegative().max(MAX_DELAY_MS).optional(),
  })
  .strict();

/** Most rules active at once. */
export const MAX_FAULT_RULES = 1000;

export type FaultRule = z.input<typeof faultRuleSchema>;

export interface FaultRuleState extends FaultRule {
  id: string;
  /** Requests that matched the rule's filters. */
  matched: number;
  /** Times the fault was applied. */
  fired: number;
  exhausted: boolean;
}

export interface FaultMatchInput {
  method: string;
  /** Candidate paths (normalised and as sent); the glob may match either. */
  paths: string[];
  tenantId: string | null;
  customerTenantId: string | null;
}

/**
 * Case-insensitive glob match in O(path × glob) time: a rule from the control API can never make
 * a request backtrack exponentially (no regular expression is built from it).
 */
export function globMatch(glob: string, text: string): boolean {
  const g = glob.toLowerCase();
  const t = text.toLowerCase();
  let gi = 0;
  let ti = 0;
  let star = -1;
  let mark = 0;
  while (ti < t.length) {
    if (gi < g.length && (g[gi] === '?' || g[gi] === t[ti])) {
      gi += 1;
      ti += 1;
    } else if (gi < g.length && g[gi] === '*') {
      star = gi;
      mark = ti;
      gi += 1;
    } else if (star >= 0) {
      gi = star + 1;
      mark += 1;
      ti = mark;
    } else {
      return false;
    }
  }
  while (gi < g.length && g[gi] === '*') {
    gi += 1;
  }
  return gi === g.length;
}

interface Entry {
  state: FaultRuleState;
  rng: Rng;
}

/** Fault rules of one emulator instance. */
export class FaultRegistry {
  private entries: Entry[] = [];
  private seq = 0;

  constructor(private readonly seed: number) {}

  add(input: FaultRule): FaultRuleState {
    const rule = faultRuleSchema.parse(input);
    const id = rule.id ?? `fault-${this.seq + 1}`;
    if (this.entries.length >= MAX_FAULT_RULES && !this.entries.some((e) => e.state.id === id)) {
      throw new RangeError(
        `At most ${MAX_FAULT_RULES} fault rules can be active; delete some first.`,
      );
    }
    this.seq += 1;
    const state: FaultRuleState = { ...rule, id, matched: 0, fired: 0, exhausted: false };
    this.entries = this.entries.filter((e) => e.state.id !== id);
    this.entries.push({
      state,
      // An explicit seed alone fixes the sequence, so re-adding the same rule repeats it.
      rng:
        rule.seed !== undefined
          ? deriveRng(rule.seed, 'fault')
          : deriveRng(this.seed, `fault:${id}`),
    });
    return { ...state };
  }

  list(): FaultRuleState[] {
    return this.entries.map((e) => ({ ...e.state }));
  }

  remove(id?: string): void {
    this.entries = id === undefined ? [] : this.entries.filter((e) => e.state.id !== id);
  }

  /** The first rule that fires for this request (and counts it), if any. */
  take(input: FaultMatchInput): FaultRuleState | undefined {
    for (const e of this.entries) {
      const r = e.state;
      if (r.exhausted) {
        continue;
      }
      if (r.method && r.method !== '*' && r.method.toUpperCase() !== input.method.toUpperCase()) {
        continue;
      }
      const glob = r.path;
      if (glob && !input.paths.some((p) => globMatch(glob, p))) {
        continue;
      }
      if (r.tenantId && r.tenantId.toLowerCase() !== (input.tenantId ?? '').toLowerCase()) {
        continue;
      }
      if (
        r.customerTenantId &&
        r.customerTenantId.toLowerCase() !== (input.customerTenantId ?? '').toLowerCase()
      ) {
        continue;
      }
      r.matched += 1;
      if (r.nth !== undefined && r.matched < r.nth) {
        continue;
      }
      if (r.probability !== undefined && e.rng.next() >= r.probability) {
        continue;
      }
      r.fired += 1;
      const limit = r.times ?? (r.nth !== undefined ? 1 : undefined);
      if (limit !== undefined && r.fired >= limit) {
        r.exhausted = true;
      }
      return { ...r };
    }
    return undefined;
  }
}
