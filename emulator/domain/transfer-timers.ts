import type { TransferActorBehaviour, TransferRecord } from '../core/commerce.model.js';
import { addDuration, HOUR_MS } from '../core/duration.js';
import type { ActionKind } from '../core/model.js';
import type { Store } from '../core/store.js';

/**
 * Clock side of new-commerce transfers, on the store alone so scenario building can use it too:
 * a pending transfer expires after `autopilot.commerce.transferExpiry` ([guess] P30D, the docs only
 * say it "will expire"), and a source partner played by the autopilot accepts after its delay.
 */
function pushAction(
  store: Store,
  kind: ActionKind,
  target: Record<string, string>,
  dueAt: Date,
  now: Date,
): void {
  store.actions.push({
    id: `${kind}-${store.actions.length}-${store.rng.int(0, 1e9)}`,
    dueAt: dueAt.toISOString(),
    kind,
    target,
    createdAt: now.toISOString(),
  });
}

/** The transfer's own setting, else the source partner's, else `manual` (the client plays it). */
export function sourceBehaviour(store: Store, t: TransferRecord): TransferActorBehaviour {
  return (
    t.sourceAccepts ??
    store.commerce.partnerActors.get(t.sourcePartnerTenantId)?.acceptTransfers ?? {
      mode: 'manual',
    }
  );
}

/** Hours until the autopilot accepts as the source, or undefined when it does not. */
export function sourceAcceptHours(store: Store, t: TransferRecord): number | undefined {
  const b = sourceBehaviour(store, t);
  if (b.mode === 'after') {
    return b.hours;
  }
  return b.mode === 'default' ? store.autopilot.commerce.sourceAcceptHours : undefined;
}

/** Schedules expiry and (if the autopilot plays the source) acceptance of a pending transfer. */
export function scheduleTransferTimers(store: Store, t: TransferRecord, now: Date): void {
  if (t.expirationTime) {
    pushAction(store, 'transfer.expire', { transferId: t.id }, new Date(t.expirationTime), now);
  }
  rescheduleSourceAccept(store, t, now);
}

/** Replaces the pending source-accept action after a behaviour change. */
export function rescheduleSourceAccept(store: Store, t: TransferRecord, now: Date): void {
  store.actions = store.actions.filter(
    (a) => !(a.kind === 'transfer.source_accept' && a.target.transferId === t.id),
  );
  const hours = sourceAcceptHours(store, t);
  if (hours !== undefined && t.status === 'Pending') {
    const created = Date.parse(t.createdTime);
    const due = Math.max(now.getTime(), created + hours * HOUR_MS);
    pushAction(store, 'transfer.source_accept', { transferId: t.id }, new Date(due), now);
  }
}

export function expiryOf(store: Store, created: Date): string {
  return addDuration(created, store.autopilot.commerce.transferExpiry).toISOString();
}
