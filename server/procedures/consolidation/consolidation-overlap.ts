import { type WorkflowItemRow } from '../../workflows/engine/engine.types.js';
import { LICENSE_REPROVISION, type SubscriptionItemData } from './consolidation.model.js';
import { overlapDays } from './steps/common.js';

/** One license item's billing overlap (R-CON-4/5), from Partner Center's dates (billing-dates.ts). */
export interface ItemOverlap {
  itemId: string;
  customerTenantId: string;
  companyName: string;
  sourceSubscriptionId: string;
  targetSubscriptionId: string | null;
  targetActiveAt: string;
  /** Null while the source is still active (the overlap is open and grows each UTC day). */
  sourceSuspendedAt: string | null;
  days: number;
  open: boolean;
}

export interface OverlapReport {
  asOf: string;
  itemsWithOverlap: number;
  maxOverlapDays: number;
  openOverlaps: number;
  /** Items with an overlap day or an open overlap, longest first. */
  items: ItemOverlap[];
}

/**
 * A license item's overlap: from its target's billing start to its source's suspension, or — while
 * the source is not suspended (a failing suspend, a step not run yet) — to `now`: an open overlap
 * counts while it lasts, it is not 0 until someone notices. Null before the target bills.
 */
export function itemOverlap(item: WorkflowItemRow, now: Date): ItemOverlap | null {
  if (item.kind !== LICENSE_REPROVISION) {
    return null;
  }
  const d = JSON.parse(item.dataJson) as SubscriptionItemData;
  if (!d.targetActiveAt) {
    return null;
  }
  const open = !d.sourceSuspendedAt;
  return {
    itemId: item.id,
    customerTenantId: item.customerTenantId ?? '',
    companyName: d.companyName,
    sourceSubscriptionId: d.sourceSubscriptionId,
    targetSubscriptionId: d.targetSubscriptionId ?? null,
    targetActiveAt: d.targetActiveAt,
    sourceSuspendedAt: d.sourceSuspendedAt ?? null,
    days: overlapDays(d.targetActiveAt, d.sourceSuspendedAt ?? now.toISOString()),
    open,
  };
}

/** The workflow's billing-overlap report from its items (R-CON-4/5). */
export function overlapReport(items: WorkflowItemRow[], now: Date): OverlapReport {
  const overlaps = items
    .map((i) => itemOverlap(i, now))
    .filter((o): o is ItemOverlap => !!o && (o.open || o.days > 0))
    .sort((a, b) => b.days - a.days || Number(b.open) - Number(a.open));
  return {
    asOf: now.toISOString(),
    itemsWithOverlap: overlaps.filter((o) => o.days > 0).length,
    maxOverlapDays: overlaps.reduce((max, o) => Math.max(max, o.days), 0),
    openOverlaps: overlaps.filter((o) => o.open).length,
    items: overlaps,
  };
}
