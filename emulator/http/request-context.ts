import type { PartnerTenantRecord } from '../core/model.js';
import type { EmulatorRuntime } from '../core/runtime.js';
import type { FaultRegistry } from '../faults/fault-registry.js';
import type { Throttler } from '../throttling/token-buckets.js';
import type { TokenResult } from './auth.js';
import type { Journal, JournalEntry } from './journal.js';
import type { ControlRoute, PcRoute, Router } from './router.js';

export interface PipelineDeps {
  rt: EmulatorRuntime;
  pcRoutes: Router<PcRoute>;
  controlRoutes: Router<ControlRoute>;
  faults: FaultRegistry;
  throttler: Throttler;
  journal: Journal;
  /** When set, control requests must carry it (control-auth.stage.ts). */
  controlToken?: string;
}

export type Scope = 'pc' | 'arm' | 'graph' | 'control';

/**
 * What the stages of one request share. Earlier stages fill in what later ones read (`tenant`
 * after authentication, `matched` after routing), like msw's resolver chain passing a request on.
 */
export interface RequestContext {
  readonly deps: PipelineDeps;
  readonly request: Request;
  readonly url: URL;
  /** Normalised path (see `normalisePath`). */
  readonly path: string;
  readonly scope: Scope;
  readonly method: string;
  readonly bodyText: string;
  readonly correlationId: string;
  readonly requestId: string | null;
  /** The journal line, completed as the stages run (not used for the control API). */
  readonly entry: JournalEntry;
  token: TokenResult;
  tenant?: PartnerTenantRecord;
  matched?: { route: PcRoute; params: Record<string, string> };
  /** Key of the MS-RequestId replay cache for this request, when it has one. */
  idemKey?: string;
  /** A write succeeded: state listeners are told after the response is journalled. */
  changed: boolean;
}

/** A stage answers the request (a `Response`) or passes it on (`undefined`). */
export type Stage = (ctx: RequestContext) => Response | undefined | Promise<Response | undefined>;

/** Runs stages in order; the first that answers wins. */
export async function runStages(
  stages: readonly Stage[],
  ctx: RequestContext,
): Promise<Response | undefined> {
  for (const stage of stages) {
    const res = await stage(ctx);
    if (res) {
      return res;
    }
  }
  return undefined;
}
