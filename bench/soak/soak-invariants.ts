import { type Emulator } from 'partner-center-emulator';
import { type TestApp } from '../../test/support/app.js';
import { AZURE_STATE, type AzureState } from '../../test/support/azure-plan.js';
import { CHANNEL_MOVE_STATE, type ChannelMoveState } from '../../test/support/channel-move.js';
import { CONSOLIDATION_STATE, type ConsolidationState } from '../../test/support/consolidation.js';
import { TRANSFER_STATE } from '../../test/support/transfer.js';
import { gqlData } from './soak-graphql.js';
import { type Started, type WorkflowOutcome } from './soak.types.js';

type Sub = ReturnType<Emulator['control']['state']>['subscriptions'][number];

/**
 * Blockers the transfer-integrity sweep raises on a consolidation (issue 15): each one open at the
 * end is a violation, worded so the closing counts group it (seats, left active). The R-CON-4
 * overlap sweep's own blocker is counted through `billingOverlap` already.
 */
const SWEEP_BLOCKERS: Record<string, string> = {
  TRANSFER_SOURCE_STILL_ACTIVE: 'source left active',
  TRANSFER_SEATS_MISMATCH: 'seats differ from the inventory',
  TRANSFER_COMPLETION_OVERDUE: 'transfer not completed',
};

/** The violations the sweeps' open blockers of a consolidation stand for. */
export function sweepViolations(
  blockers: ReadonlyArray<{ code: string; message: string; subject: string | null }>,
): string[] {
  return blockers
    .filter((b) => b.code in SWEEP_BLOCKERS)
    .map(
      (b) =>
        `consolidation sweep blocker ${b.code} (${SWEEP_BLOCKERS[b.code]}) on ${b.subject ?? '?'}: ${b.message}`,
    );
}

/** Checks every invariant; returns the workflows' end states. */
export async function checkInvariants(
  t: TestApp,
  emulator: Emulator,
  workflows: Started[],
  violations: string[],
  checked: { n: number },
): Promise<WorkflowOutcome[]> {
  const state = emulator.control.state();
  const subs = state.subscriptions as Sub[];
  const active = (s: Sub) => s.status === 'active';
  const outcomes: WorkflowOutcome[] = [];

  // Nothing doubled at the source of truth: one MS-RequestId never made two orders.
  const createdBy = new Map<string, number>();
  for (const entry of emulator.control.requests()) {
    if (
      entry.method === 'POST' &&
      /\/orders$/.test(entry.path) &&
      entry.status >= 200 &&
      entry.status < 300 &&
      !entry.replayed &&
      entry.requestId
    ) {
      createdBy.set(entry.requestId, (createdBy.get(entry.requestId) ?? 0) + 1);
    }
  }
  for (const [requestId, n] of createdBy) {
    checked.n += 1;
    if (n > 1) {
      violations.push(`MS-RequestId ${requestId} created ${n} orders`);
    }
  }

  for (const w of workflows) {
    if (w.kind === 'TENANT_CONSOLIDATION') {
      const s = (
        await gqlData<{ node: ConsolidationState }>(t, CONSOLIDATION_STATE, w.token, { id: w.id })
      ).node;
      outcomes.push({
        kind: w.kind,
        id: w.id,
        status: s.status,
        detail: `${s.customers.totalCount} customers`,
      });
      if (s.status !== 'COMPLETED') {
        const stuck = s.customers.edges
          .filter((e) => e.node.state !== 'DONE')
          .map(
            (e) => `${e.node.customer.companyName}: ${e.node.state} ${e.node.waitingReason ?? ''}`,
          );
        violations.push(`consolidation ${s.status}: ${stuck.join('; ')}`);
      }
      const swept = sweepViolations(s.blockers);
      checked.n += 1;
      violations.push(...swept);
      if (s.billingOverlap.maxOverlapDays > 0) {
        violations.push(
          `consolidation overlap of ${s.billingOverlap.maxOverlapDays} days (R-CON-4)`,
        );
      }
      const target = (s as ConsolidationState & { target: { tenantId: string } }).target.tenantId;
      for (const { node } of s.customers.edges) {
        if (node.state !== 'DONE') {
          continue;
        }
        const customer = node.customer.tenantId;
        const expected = new Map<string, number>();
        for (const item of node.items) {
          // Issue 15: transferred items too (seats equal the inventory, the source not active).
          if (
            (item.kind !== 'LICENSE_REPROVISION' && item.kind !== 'SUBSCRIPTION_TRANSFER') ||
            !item.target
          ) {
            continue;
          }
          checked.n += 2;
          const offer = item.target.offerId.toUpperCase();
          expected.set(offer, (expected.get(offer) ?? 0) + item.seats);
          if (item.target.quantity !== item.seats || item.source.quantity !== item.seats) {
            violations.push(
              `consolidation ${node.customer.companyName} ${item.source.offerId}: ${item.source.quantity} source seats, ${item.seats} planned, ${item.target.quantity} in the target (R-CON-3)`,
            );
          }
          // R-CON-4: suspending never comes before the replacement exists (early suspension).
          // `targetActiveAt` is when Partner Center bills it from (issue 16 §3); the replacement
          // exists once seen active.
          const activeAt = item.targetSeenActiveAt ?? item.targetActiveAt;
          if (
            item.sourceSuspendedAt &&
            activeAt &&
            Date.parse(item.sourceSuspendedAt) < Date.parse(activeAt)
          ) {
            violations.push(
              `consolidation ${node.customer.companyName} ${item.source.offerId}: early suspension, source suspended ${item.sourceSuspendedAt} before the target was active ${activeAt} (R-CON-4)`,
            );
          }
          const source = subs.find((x) => x.id === item.source.subscriptionId);
          if (source && active(source)) {
            violations.push(
              `consolidation ${node.customer.companyName}: source ${item.source.subscriptionId} left active (R-CON-4)`,
            );
          }
        }
        // Seats in the target equal the inventory: no duplicate order, no lost seat.
        for (const [offer, seats] of expected) {
          checked.n += 1;
          const inTarget = subs
            .filter(
              (x) =>
                x.partnerTenantId === target &&
                x.customerTenantId === customer &&
                x.offerId.toUpperCase() === offer &&
                active(x),
            )
            .reduce((n, x) => n + x.quantity, 0);
          if (inTarget !== seats) {
            violations.push(
              `consolidation ${node.customer.companyName} ${offer}: ${inTarget} seats active in the target, inventory ${seats}`,
            );
          }
        }
      }
    } else if (w.kind === 'CHANNEL_MOVE') {
      const s = (
        await gqlData<{ node: ChannelMoveState }>(t, CHANNEL_MOVE_STATE, w.token, { id: w.id })
      ).node;
      outcomes.push({
        kind: w.kind,
        id: w.id,
        status: s.status,
        detail: `${s.lines.length} lines`,
      });
      if (s.status !== 'COMPLETED') {
        violations.push(
          `channel move ${s.status}: ${s.lines.map((l) => `${l.state} ${l.detail ?? ''}`).join('; ')}`,
        );
      }
      for (const line of s.lines) {
        if (line.state !== 'DONE' || !line.targetOfferId) {
          continue;
        }
        const bought = subs.filter(
          (x) =>
            x.partnerTenantId === s.partnerTenant.tenantId &&
            x.customerTenantId === s.customer.tenantId &&
            x.offerId.toUpperCase() === line.targetOfferId!.toUpperCase() &&
            active(x),
        );
        const seats = bought.reduce((n, x) => n + x.quantity, 0);
        checked.n += 1;
        if (bought.length !== 1 || seats !== line.seats) {
          violations.push(
            `channel move line ${line.lineNumber}: ${bought.length} subscriptions with ${seats} seats, planned one with ${line.seats}`,
          );
        }
      }
    } else if (w.kind === 'AZURE_PLAN_TRANSITION') {
      const s = (await gqlData<{ node: AzureState }>(t, AZURE_STATE, w.token, { id: w.id })).node;
      outcomes.push({
        kind: w.kind,
        id: w.id,
        status: s.status,
        detail: `${s.plans.length} plans`,
      });
      if (s.status !== 'COMPLETED') {
        violations.push(
          `Azure plan ${s.status}: ${s.lines.map((l) => `${l.state} ${l.detail ?? ''}`).join('; ')}`,
        );
      }
      // R-AZP-1: one Azure plan per reseller of record (one for a direct customer), never two.
      const plans = subs.filter(
        (x) => x.customerTenantId === s.customer.tenantId && x.kind === 'azure_plan' && active(x),
      );
      const perReseller = new Map<string, number>();
      for (const p of plans) {
        const key = `${p.partnerTenantId}/${p.partnerId ?? 'direct'}`;
        perReseller.set(key, (perReseller.get(key) ?? 0) + 1);
      }
      checked.n += 1;
      for (const [key, n] of perReseller) {
        if (n > 1) {
          violations.push(`Azure plan: ${n} Azure plans for ${s.customer.companyName} ${key}`);
        }
      }
    } else {
      const s = (
        await gqlData<{
          node: {
            status: string;
            state: string;
            waitingReason: string | null;
            newSubscriptionId: string | null;
            azureSubscriptionId: string;
          };
        }>(t, TRANSFER_STATE, w.token, { id: w.id })
      ).node;
      outcomes.push({ kind: w.kind, id: w.id, status: s.status, detail: s.state });
      // A transfer waits on Microsoft support and the new partner: WAITING with a reason is a real blocker.
      if (s.status !== 'COMPLETED' && !(s.status === 'WAITING' && s.waitingReason)) {
        violations.push(`transfer ${s.status} ${s.state} ${s.waitingReason ?? ''}`);
      }
      // The Azure subscription is served by one partner at a time.
      const serving = subs.filter(
        (x) =>
          x.kind === 'azure_legacy' &&
          active(x) &&
          (x.entitlementId ?? x.id) === s.azureSubscriptionId,
      );
      checked.n += 1;
      if (serving.length > 1) {
        violations.push(
          `transfer: Azure subscription ${s.azureSubscriptionId} active at ${serving.length} partners`,
        );
      }
    }
  }
  return outcomes;
}
