import { withCallPurpose } from '../../../partner-center/call-purpose.js';
import { type PartnerCenterClientFactory } from '../../../partner-center/client-factory.js';
import { type PcSubscription } from '../../../partner-center/contracts/subscriptions.js';
import { type BlockerCode } from '../../../shared/error-codes.js';
import { type WorkflowItemRow } from '../../../workflows/engine/engine.types.js';
import { type SweepContext } from '../../../workflows/engine/step-context.js';
import { type ConsolidationData } from '../consolidation.model.js';
import {
  AZURE_PLAN_UPGRADE,
  type AzurePlanUpgradeData,
  type SubscriptionTransferData,
  TRANSFER_REQUEST,
  type TransferRequestData,
  type TransferWatchMark,
} from '../consolidation-paths.model.js';

/** How the sweep watches transferred subscriptions (business time; CONSOLIDATION_TRANSFER_*). */
export interface TransferWatchPolicy {
  /** How long after completion a transfer's subscriptions are checked in Partner Center. */
  watchMs: number;
  /** Time between two checks of one transfer; the first comes one interval after completion. */
  intervalMs: number;
  /**
   * After the source accepted, how long until a transfer Partner Center has not completed is a
   * blocker. A guess: Microsoft documents no completion time (the emulator completes in PT1H).
   */
  overdueMs: number;
  /**
   * While a check finds a condition holding, the transfer stays watched (every interval) until
   * this long after completion, so a fix is seen and clears its blocker; then what is open stays.
   */
  flaggedWatchMs: number;
  /** Most transfers checked in Partner Center per sweep pass; the others wait for the next. */
  maxChecksPerPass: number;
}

const HOUR = 3_600_000;
export const DEFAULT_TRANSFER_WATCH: TransferWatchPolicy = {
  watchMs: 24 * HOUR,
  intervalMs: 24 * HOUR,
  overdueMs: 24 * HOUR,
  flaggedWatchMs: 7 * 24 * HOUR,
  maxChecksPerPass: 25,
};

/** Next try of a check whose Partner Center read failed (a fault, a 429). */
const READ_RETRY_MS = 15 * 60_000;
/** Reads of one pass at once (the client limits per tenant besides). */
const PARALLEL_CHECKS = 5;
const SETTLED = '_SETTLED';
const OPEN_STATUSES = new Set(['PENDING', 'RUNNING', 'WAITING']);

const parse = <T>(row: WorkflowItemRow) => JSON.parse(row.dataJson) as T;
const iso = (ms: number) => new Date(ms).toISOString();
const isActive = (s: PcSubscription | undefined) => s?.status.toLowerCase() === 'active';

/**
 * Issue 15: the invariants of the transfer path, checked by the engine outside any step, after the
 * verification step (which fails an item once, at completion) — as the overlap sweep checks
 * R-CON-4 for re-provisioned items.
 *
 * - A transfer accepted but not completed `overdueMs` after acceptance: TRANSFER_COMPLETION_OVERDUE
 *   on the request (no Partner Center call: its await step polls it). Cleared when it completes.
 * - Once completed, each transfer is checked every `intervalMs` (first one interval after
 *   completion: the verification step has just read both sides) until `watchMs` after completion,
 *   and on while a check finds a condition holding, up to `flaggedWatchMs` after completion: the
 *   source's copy active
 *   (TRANSFER_SOURCE_STILL_ACTIVE, R-CON-4) and, for new-commerce licenses, the target's active
 *   seats differing from the plan's inventory (TRANSFER_SEATS_MISMATCH, R-CON-1), one blocker per
 *   subscription item and code while it holds, cleared by a later check that finds it gone. When the
 *   watch ends the request's state becomes `<state>_SETTLED` (the sweep scans only the watched
 *   ones through the (kind, state) index); blockers still open then stay open.
 *
 * Cost: one subscriptions list of the target per customer and one of each source tenant per
 * customer and check, shared by every subscription of the customer: with the defaults one check
 * a day after completion, so 1 + sources list calls per customer (1 per subscription for a
 * customer with two subscriptions from one source; 0.2 for ten), one more a day while flagged
 * (at most 7 days). At most `maxChecksPerPass` transfers per pass.
 */
export function transferIntegritySweep(deps: {
  clients: PartnerCenterClientFactory;
  policy?: Partial<TransferWatchPolicy>;
}): (ctx: SweepContext) => Promise<string[]> {
  const policy = { ...DEFAULT_TRANSFER_WATCH, ...deps.policy };
  return async (ctx) => {
    const changed = new Set<string>();
    await overdue(ctx, policy, changed);
    await watchCompleted(ctx, policy, deps.clients, changed);
    return [...changed];
  };
}

async function overdue(ctx: SweepContext, policy: TransferWatchPolicy, changed: Set<string>) {
  const nowMs = ctx.now.getTime();
  for (const request of await ctx.itemsInState(TRANSFER_REQUEST, 'ACCEPTED')) {
    const d = parse<TransferRequestData>(request);
    if (!OPEN_STATUSES.has(request.status) || !d.acceptedAt) {
      continue;
    }
    const acceptedMs = Date.parse(d.acceptedAt);
    if (acceptedMs + policy.overdueMs > nowMs) {
      continue;
    }
    const hours = Math.floor((nowMs - acceptedMs) / HOUR);
    const raised = await ctx.raiseBlocker(request, {
      code: 'TRANSFER_COMPLETION_OVERDUE',
      message: `Transfer ${d.transferId ?? '?'} of ${d.companyName} from ${d.sourceName} was accepted on ${d.acceptedAt} and Partner Center has not completed it ${hours} hours later (it usually completes within ${Math.round(policy.overdueMs / HOUR)} hours, CONSOLIDATION_TRANSFER_OVERDUE): ask Microsoft support. Its subscriptions stay where they are until it completes.`,
      subject: d.transferId ?? null,
    });
    if (raised) {
      changed.add(request.workflowId);
    }
  }
}

async function watchCompleted(
  ctx: SweepContext,
  policy: TransferWatchPolicy,
  clients: PartnerCenterClientFactory,
  changed: Set<string>,
) {
  const nowMs = ctx.now.getTime();
  const requests = [
    ...(await ctx.itemsInState(TRANSFER_REQUEST, 'COMPLETED')),
    ...(await ctx.itemsInState(TRANSFER_REQUEST, 'FAILED_LINES')),
  ];
  const due: Array<{ request: WorkflowItemRow; d: TransferRequestData; mark: TransferWatchMark }> =
    [];
  for (const request of requests) {
    const d = parse<TransferRequestData>(request);
    if (!d.integrity) {
      // First sight after completion: the overdue blocker is over; the first check is scheduled.
      const completedMs = Date.parse(d.completedAt ?? request.completedAt ?? ctx.now.toISOString());
      const cleared = await ctx.clearBlockers(
        request,
        ['TRANSFER_COMPLETION_OVERDUE'],
        `Transfer ${d.transferId ?? '?'} of ${d.companyName} completed on ${iso(completedMs)}.`,
      );
      if (cleared > 0) {
        changed.add(request.workflowId);
      }
      const integrity: TransferWatchMark = {
        nextCheckAt: iso(completedMs + policy.intervalMs),
        watchUntil: iso(completedMs + policy.watchMs),
        checks: 0,
      };
      await ctx.markItem(request, { data: { ...d, integrity } });
      continue;
    }
    if (Date.parse(d.integrity.nextCheckAt) <= nowMs) {
      due.push({ request, d, mark: d.integrity });
    }
  }
  due.sort((a, b) => a.mark.nextCheckAt.localeCompare(b.mark.nextCheckAt));
  const batch = due.slice(0, policy.maxChecksPerPass);
  const targets = new Map<string, ConsolidationData['target']>();
  for (const w of await ctx.workflows([...new Set(batch.map((b) => b.request.workflowId))])) {
    targets.set(w.id, (JSON.parse(w.dataJson ?? '{}') as ConsolidationData).target);
  }
  // One list per tenant and customer in this pass, whichever transfers of the customer need it.
  const lists = new Map<string, Promise<PcSubscription[]>>();
  const list = (tenantId: string, customerId: string) => {
    const key = `${tenantId.toLowerCase()}|${customerId.toLowerCase()}`;
    let read = lists.get(key);
    if (!read) {
      read = withCallPurpose('transfer-integrity-watch', () =>
        clients.forTenant(tenantId).listSubscriptions(customerId),
      );
      lists.set(key, read);
      read.catch(() => undefined);
    }
    return read;
  };
  for (let i = 0; i < batch.length; i += PARALLEL_CHECKS) {
    await Promise.all(
      batch.slice(i, i + PARALLEL_CHECKS).map(async ({ request, d, mark }) => {
        const target = targets.get(request.workflowId);
        if (!target) {
          return;
        }
        if (await checkTransfer(ctx, policy, { request, d, mark, target, list })) {
          changed.add(request.workflowId);
        }
      }),
    );
  }
}

/** Checks one completed transfer; true when it raised or cleared a blocker. */
async function checkTransfer(
  ctx: SweepContext,
  policy: TransferWatchPolicy,
  c: {
    request: WorkflowItemRow;
    d: TransferRequestData;
    mark: TransferWatchMark;
    target: ConsolidationData['target'];
    list: (tenantId: string, customerId: string) => Promise<PcSubscription[]>;
  },
): Promise<boolean> {
  const { request, d, mark, target } = c;
  const nowMs = ctx.now.getTime();
  let next = Date.parse(mark.nextCheckAt);
  while (next <= nowMs) {
    next += policy.intervalMs;
  }
  const claimed = {
    ...request,
    dataJson: JSON.stringify({ ...d, integrity: { ...mark, nextCheckAt: iso(next) } }),
  };
  // Claimed before reading: another replica sweeping the same pass skips it.
  if (!(await ctx.markItem(request, { data: parse(claimed) }))) {
    return false;
  }
  const customerId = request.customerTenantId as string;
  let targetList: PcSubscription[];
  let sourceList: PcSubscription[];
  try {
    [targetList, sourceList] = await Promise.all([
      c.list(target.tenantId, customerId),
      c.list(d.sourceTenantId, customerId),
    ]);
  } catch {
    await ctx.markItem(claimed, {
      data: { ...d, integrity: { ...mark, nextCheckAt: iso(nowMs + READ_RETRY_MS) } },
    });
    return false;
  }
  const siblings = await ctx.children(request.parentItemId as string);
  const ids = new Set(d.subscriptionItemIds);
  const upgrade = siblings.find((i) => i.kind === AZURE_PLAN_UPGRADE);
  const upgraded = upgrade ? parse<AzurePlanUpgradeData>(upgrade).upgraded : undefined;
  let touched = false;
  let holding = false;
  for (const item of siblings.filter((i) => ids.has(i.id))) {
    const sd = parse<SubscriptionTransferData>(item);
    const lineId = (upgraded?.[sd.sourceSubscriptionId] ?? sd.sourceSubscriptionId).toLowerCase();
    const targetId = sd.targetSubscriptionId ?? d.moved?.[lineId];
    if (!targetId) {
      // Not moved (a failed line item): nothing is at the target to check.
      continue;
    }
    const what = `${sd.offerName ?? sd.offerId} of ${sd.companyName}`;
    const source = sourceList.find((s) => s.id.toLowerCase() === lineId);
    const outcome = await verdict(ctx, item, 'TRANSFER_SOURCE_STILL_ACTIVE', {
      holds: isActive(source),
      subject: lineId,
      raise: () =>
        `Transfer ${d.transferId ?? '?'} of ${what} completed on ${d.completedAt ?? '?'}, but ${d.sourceName}'s copy ${lineId} still reads ${source?.status ?? '?'} with ${source?.quantity ?? '?'} seats in Partner Center (checked ${ctx.now.toISOString()}), beside ${targetId} under ${target.name}: both partners bill it (R-CON-4). Suspend it at ${d.sourceName}.`,
      clear: `${d.sourceName}'s copy ${lineId} of ${what} is no longer active (checked ${ctx.now.toISOString()}).`,
    });
    touched ||= outcome !== 'same';
    holding ||= isActive(source);
    if (sd.productType !== 'OnlineServicesNCE' || sd.path === 'AZURE_PLAN_THEN_TRANSFER') {
      // Azure: one unit per plan, re-billed by the target; seats mean nothing there.
      continue;
    }
    const copy = targetList.find((s) => s.id.toLowerCase() === targetId.toLowerCase());
    const activeSeats = isActive(copy) ? (copy?.quantity ?? 0) : 0;
    const seats = await verdict(ctx, item, 'TRANSFER_SEATS_MISMATCH', {
      holds: activeSeats !== sd.seats,
      subject: targetId,
      raise: () =>
        `${target.name}'s copy ${targetId} of ${what} ${copy ? `has ${copy.quantity} seats and is ${copy.status}` : 'is not in Partner Center'} (checked ${ctx.now.toISOString()}): ${activeSeats} active seats where the plan's inventory has ${sd.seats} (R-CON-1; transfer ${d.transferId ?? '?'}). Set the seats back to ${sd.seats}.`,
      clear: `${target.name}'s copy ${targetId} of ${what} has the inventory's ${sd.seats} seats again (checked ${ctx.now.toISOString()}).`,
    });
    touched ||= seats !== 'same';
    holding ||= activeSeats !== sd.seats;
  }
  const cap = Date.parse(d.completedAt ?? mark.watchUntil) + policy.flaggedWatchMs;
  const watchUntil = holding
    ? iso(Math.max(Date.parse(mark.watchUntil), Math.min(next, cap)))
    : mark.watchUntil;
  const integrity: TransferWatchMark = {
    nextCheckAt: iso(next),
    watchUntil,
    checks: mark.checks + 1,
  };
  const over = next > Date.parse(watchUntil);
  await ctx.markItem(claimed, {
    data: { ...d, integrity },
    ...(over ? { state: `${request.state}${SETTLED}` } : {}),
  });
  return touched;
}

/** Raises the blocker while the condition holds, clears it once it does not. */
async function verdict(
  ctx: SweepContext,
  item: WorkflowItemRow,
  code: BlockerCode,
  v: { holds: boolean; subject: string; raise: () => string; clear: string },
): Promise<'raised' | 'cleared' | 'same'> {
  if (v.holds) {
    const raised = await ctx.raiseBlocker(item, {
      code,
      message: v.raise(),
      subject: v.subject,
    });
    return raised ? 'raised' : 'same';
  }
  return (await ctx.clearBlockers(item, [code], v.clear)) > 0 ? 'cleared' : 'same';
}
