import { type PcSubscription } from '../../../partner-center/contracts/subscriptions.js';
import { type WorkflowItemRow } from '../../../workflows/engine/engine.types.js';
import { type StepContext } from '../../../workflows/engine/step-context.js';
import { type ConsolidationData } from '../consolidation.model.js';
import {
  AZURE_PLAN_UPGRADE,
  type AzurePlanUpgradeData,
  type SubscriptionTransferData,
  type TransferRequestData,
} from '../consolidation-paths.model.js';

export type TransferRequestCtx = StepContext<ConsolidationData, TransferRequestData>;

export const parseItem = <T>(row: WorkflowItemRow) => JSON.parse(row.dataJson) as T;

/** The subscription items a transfer request carries, and the sibling Azure plan upgrade if any. */
export async function transferSiblings(ctx: TransferRequestCtx) {
  const parentId = ctx.item.parentItemId as string;
  const all = await ctx.children(parentId);
  const ids = new Set(ctx.data.subscriptionItemIds);
  return {
    subs: all.filter((i) => ids.has(i.id)),
    upgrade: all.find((i) => i.kind === AZURE_PLAN_UPGRADE),
  };
}

/** The subscription id a line item names: the Azure plan an upgraded legacy subscription became. */
export function lineSubscriptionId(
  d: SubscriptionTransferData,
  upgrade?: AzurePlanUpgradeData,
): string {
  return upgrade?.upgraded?.[d.sourceSubscriptionId] ?? d.sourceSubscriptionId;
}

/** One line item of the acceptance (what our request asks Microsoft to move). */
export interface TransferLine {
  subscriptionId: string;
  quantity: number;
  billingCycle: string | null | undefined;
  productType: SubscriptionTransferData['productType'];
  /** The source's offer; null for an upgraded legacy Azure (the Azure plan it became). */
  offerId: string | null;
}

/**
 * The line items of a request, one per source subscription (upgraded legacy subscriptions share
 * one Azure plan: one line for it). R-CON-1: the seats inventoried at planning; verification
 * compares with them. An upgraded legacy Azure names the Azure plan it became (one unit, its own
 * cycle).
 */
export function transferLines(
  subs: WorkflowItemRow[],
  upgrade: WorkflowItemRow | undefined,
): Map<string, TransferLine> {
  const upgraded = upgrade ? parseItem<AzurePlanUpgradeData>(upgrade) : undefined;
  const lines = new Map<string, TransferLine>();
  for (const row of subs) {
    const s = parseItem<SubscriptionTransferData>(row);
    const line: TransferLine = {
      subscriptionId: lineSubscriptionId(s, upgraded),
      quantity: s.path === 'AZURE_PLAN_THEN_TRANSFER' ? 1 : s.seats,
      billingCycle: s.productType === 'AzureSubscription' ? null : s.billingCycle,
      productType: s.productType,
      offerId: s.path === 'AZURE_PLAN_THEN_TRANSFER' ? null : s.offerId,
    };
    lines.set(line.subscriptionId, line);
  }
  return lines;
}

/** A target subscription as Partner Center lists it after a transfer (§11: with its id). */
export type TransferCopy = PcSubscription & { transferId?: string | null };

/** What a line is matched on: an offer (null: any) and seats (null: any). */
export interface CopyWanted {
  subscriptionId: string;
  offerId?: string | null;
  quantity?: number | null;
}

/**
 * Gives each line its own copy at the target. Partner Center's copies carry the transfer id but
 * not the source subscription they came from (§11), so a line is matched by offer and seats; a
 * line without an offer (an upgraded legacy Azure's Azure plan, unknown before the move) takes a
 * copy no line with an offer matched. `moved`: source subscription id (lower case) → copy id.
 */
export function assignTransferCopies(
  lines: readonly CopyWanted[],
  copies: readonly TransferCopy[],
): { moved: Record<string, string>; missing: string[] } {
  const taken = new Set<string>();
  const moved: Record<string, string> = {};
  const missing: string[] = [];
  const byOffer = [...lines].sort((a, b) => (a.offerId ? 0 : 1) - (b.offerId ? 0 : 1));
  for (const line of byOffer) {
    const copy = copies.find(
      (c) =>
        !taken.has(c.id) &&
        (!line.offerId || c.offerId.toLowerCase() === line.offerId.toLowerCase()) &&
        (line.quantity == null || c.quantity === line.quantity),
    );
    if (copy) {
      taken.add(copy.id);
      moved[line.subscriptionId.toLowerCase()] = copy.id;
    } else {
      missing.push(line.subscriptionId);
    }
  }
  return { moved, missing };
}

/** Every line's copy at the target, or undefined when one is missing. */
export function matchTransferCopies(
  lines: readonly CopyWanted[],
  copies: readonly TransferCopy[],
): Record<string, string> | undefined {
  const { moved, missing } = assignTransferCopies(lines, copies);
  return missing.length === 0 ? moved : undefined;
}

const day = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : null);

/** What differs between the inventory and the transferred copy (empty: verified). */
export function verifyCopy(
  d: SubscriptionTransferData,
  copy: PcSubscription,
  source: PcSubscription | undefined,
): string[] {
  const problems: string[] = [];
  if (copy.status.toLowerCase() !== 'active') {
    problems.push(`the target's copy is ${copy.status}`);
  }
  if (
    d.path !== 'AZURE_PLAN_THEN_TRANSFER' &&
    copy.offerId.toLowerCase() !== d.offerId.toLowerCase()
  ) {
    problems.push(`offer ${copy.offerId} instead of ${d.offerId}`);
  }
  if (d.productType === 'OnlineServicesNCE') {
    if (copy.quantity !== d.seats) {
      problems.push(`${copy.quantity} seats instead of ${d.seats}`);
    }
    if (day(copy.commitmentEndDate) !== day(d.commitmentEndDate)) {
      problems.push(
        `term end ${day(copy.commitmentEndDate) ?? 'none'} instead of ${day(d.commitmentEndDate) ?? 'none'}`,
      );
    }
    if ((copy.billingCycle ?? null) !== (d.billingCycle ?? null)) {
      problems.push(
        `billing cycle ${copy.billingCycle ?? 'none'} instead of ${d.billingCycle ?? 'none'}`,
      );
    }
  }
  if (source && source.status.toLowerCase() === 'active') {
    problems.push(`the source's copy ${source.id} is still active`);
  }
  return problems;
}
