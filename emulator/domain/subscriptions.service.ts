import type { SubscriptionRecord, SubscriptionStatus } from '../core/model.js';
import type { Actor, EmulatorRuntime } from '../core/runtime.js';
import { PcHttpError } from '../http/responses.js';
import { writeAudit } from './audit.js';

export interface SubscriptionPatch {
  status?: SubscriptionStatus;
  quantity?: number;
  friendlyName?: string;
  autoRenewEnabled?: boolean;
}

function etagMatches(ifMatch: string, etag: string): boolean {
  const clean = ifMatch
    .trim()
    .replace(/^W\//, '')
    .replace(/^"(.*)"$/, '$1');
  return clean === '*' || clean === etag;
}

/**
 * Subscription PATCH rules (partner-center-api.md §5, "Subscriptions" error codes):
 * stale If-Match → 412/2055; deleted → 400/2011; quantity change while suspending → 400/2001;
 * quantity change on a suspended subscription → 400/800091; outside the offer's min/max → 400/2002;
 * suspending an Azure plan with active Azure subscriptions → 403/900115.
 */
export function patchSubscription(
  rt: EmulatorRuntime,
  actor: Actor,
  sub: SubscriptionRecord,
  patch: SubscriptionPatch,
  ifMatch: string | null,
): SubscriptionRecord {
  if (ifMatch && !etagMatches(ifMatch, sub.etag)) {
    throw new PcHttpError(
      412,
      2055,
      'The etag is no longer valid: the subscription changed since it was read.',
    );
  }
  if (sub.status === 'deleted') {
    throw new PcHttpError(400, 2011, 'A deleted subscription cannot be updated.');
  }
  const status = patch.status ?? sub.status;
  const quantity = patch.quantity ?? sub.quantity;
  const quantityChanged = quantity !== sub.quantity;
  if (status === 'suspended' && sub.status !== 'suspended' && quantityChanged) {
    throw new PcHttpError(
      400,
      2001,
      'The quantity cannot change while the subscription is being suspended.',
    );
  }
  if (sub.status === 'suspended' && status === 'suspended' && quantityChanged) {
    throw new PcHttpError(
      400,
      800091,
      'The subscription is suspended; its quantity cannot change.',
    );
  }
  const offer = rt.catalog.find(sub.offerId);
  if (
    quantityChanged &&
    offer &&
    (quantity < offer.minimumQuantity || quantity > offer.maximumQuantity)
  ) {
    throw new PcHttpError(
      400,
      2002,
      `The quantity ${quantity} is outside the allowed range ${offer.minimumQuantity}..${offer.maximumQuantity}.`,
    );
  }
  if (sub.kind === 'azure_plan' && status === 'suspended' && sub.status !== 'suspended') {
    const active = (rt.store.linksBySubscription.get(sub.id) ?? []).some(
      (l) => l.status === 'active',
    );
    if (active) {
      throw new PcHttpError(
        403,
        900115,
        'The Azure plan has active Azure subscriptions and cannot be suspended.',
      );
    }
  }
  if (status === 'deleted') {
    const window = sub.cancellationAllowedUntilDate;
    if (sub.kind !== 'new_commerce' || !window || Date.parse(window) < rt.now().getTime()) {
      throw new PcHttpError(
        400,
        800002,
        'This subscription cannot be cancelled; suspend it instead.',
      );
    }
  }
  if (
    status === 'active' &&
    (sub.status === 'suspended' || sub.status === 'expired') &&
    sub.suspensionReasons.some(
      (r) => r === 'ProductUpgrade' || r === 'Transferred' || r === 'Migrated',
    )
  ) {
    throw new PcHttpError(
      409,
      27009,
      'The subscription moved to another billing parent and cannot be reactivated.',
    );
  }
  const before = {
    status: sub.status,
    quantity: sub.quantity,
    friendlyName: sub.friendlyName,
    autoRenewEnabled: sub.autoRenewEnabled,
  };
  sub.status = status;
  sub.quantity = quantity;
  if (patch.friendlyName !== undefined) {
    sub.friendlyName = patch.friendlyName;
  }
  if (patch.autoRenewEnabled !== undefined) {
    sub.autoRenewEnabled = patch.autoRenewEnabled;
  }
  if (before.status !== status) {
    sub.suspensionReasons = status === 'suspended' ? ['CustomerRequest'] : [];
    if (sub.kind === 'azure_legacy') {
      // Suspending the commerce subscription disables its Azure subscription too.
      for (const l of rt.store.linksBySubscription.get(sub.id) ?? []) {
        if (l.status !== 'deleted') {
          l.status = status === 'active' ? 'active' : 'suspended';
        }
      }
    }
  }
  sub.etag = rt.newEtag();
  const customer = rt.store.customers.get(sub.customerTenantId) ?? null;
  writeAudit(rt, {
    actor,
    customer,
    resourceType: 'subscription',
    operationType: 'update_subscription',
    oldValue: { id: sub.id, ...before },
    newValue: {
      id: sub.id,
      status: sub.status,
      quantity: sub.quantity,
      friendlyName: sub.friendlyName,
      autoRenewEnabled: sub.autoRenewEnabled,
    },
    customizedData: { SubscriptionId: sub.id, OfferId: sub.offerId },
  });
  return sub;
}
