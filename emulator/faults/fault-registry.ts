import { z } from 'zod';
import { deriveRng, type Rng } from '../core/rng.js';

/**
 * Declarative fault rules (issue 3 §6; emulator-anchors.md §4.8). A rule matches on method, path
 * glob, partner tenant and customer; it fires on every match, on the nth match, on the first N
 * (`times`), or with a seeded probability. The effect is a Partner Center error (`status` + `code`),
 * a 429 with `Retry-After`, a 5xx, a connection reset, a hang, malformed JSON, or added latency.
 */
export const faultRuleSchema = z
  .object({
    id: z.string().optional(),
    method: z.string().optional(),
    /** Glob over the request path (`*` = any characters, `?` = one), e.g. `/v1/customers*`. */
    path: z.string().optional(),
    tenantId: z.string().optional(),
    customerTenantId: z.string().optional(),
    nth: z.number().int().positive().optional(),
    times: z.number().int().positive().optional(),
    probability: z.number().min(0).max(1).optional(),
    seed: z.number().int().optional(),
    status: z.number().int().min(100).max(599).optional(),
    code: z.union([z.number(), z.string()]).optional(),
    description: z.string().optional(),
    retryAfterSeconds: z.number().nonnegative().optional(),
    kind: z.enum(['error', 'reset', 'hang', 'malformed', 'latency']).optional(),
    latencyMs: z.number().nonnegative().optional(),
    hangMs: z.number().nonnegative().optional(),
  })
  .strict();

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

function globToRegex(glob: string): RegExp {
  const source = glob
    .split('')
    .map((ch) => {
      if (ch === '*') {
        return '.*';
      }
      if (ch === '?') {
        return '.';
      }
      return ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${source}$`, 'i');
}

interface Entry {
  state: FaultRuleState;
  regex: RegExp | undefined;
  rng: Rng;
}

/** Fault rules of one emulator instance. */
export class FaultRegistry {
  private entries: Entry[] = [];
  private seq = 0;

  constructor(private readonly seed: number) {}

  add(input: FaultRule): FaultRuleState {
    const rule = faultRuleSchema.parse(input);
    this.seq += 1;
    const id = rule.id ?? `fault-${this.seq}`;
    const state: FaultRuleState = { ...rule, id, matched: 0, fired: 0, exhausted: false };
    this.entries = this.entries.filter((e) => e.state.id !== id);
    this.entries.push({
      state,
      regex: rule.path ? globToRegex(rule.path) : undefined,
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
      if (e.regex && !input.paths.some((p) => e.regex?.test(p))) {
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
