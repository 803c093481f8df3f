import { type PcSubscription } from '../../partner-center/contracts/subscriptions.js';
import {
  equivalentOffer,
  licenseReassignmentWarning,
  type OfferCatalog,
} from '../shared/equivalent-offer.js';
import { type BlockerCode } from '../../shared/error-codes.js';
import { type SubscriptionItemData } from './consolidation.model.js';

/** What the target orders for one license item, or why that item alone cannot move. */
export type ItemOfferPlan =
  | {
      ok: true;
      /** Set when the catalog successor replaces an offer the target no longer sells (R-CHN-6). */
      proposed: Pick<
        SubscriptionItemData,
        'proposedOfferId' | 'proposedOfferName' | 'successorReason'
      > | null;
    }
  | { ok: false; code: BlockerCode; message: string };

/**
 * R-CON-3 with R-CHN-6 per item: the target re-orders the same offer; when the target's catalog
 * no longer sells it, the offer's catalog successor is proposed for that item (with the
 * license-reassignment warning) and the customer's other items move as planned. Only an item with
 * no purchasable successor is blocked — the block names that item, never the whole customer — and
 * so is a successor that cannot take the item's seats (Partner Center would refuse them, 2002).
 */
export function itemOfferPlan(
  catalog: OfferCatalog,
  sub: Pick<PcSubscription, 'id' | 'offerId' | 'offerName' | 'quantity'>,
  context: { companyName: string; country: string; targetName: string },
): ItemOfferPlan {
  const { source, target, equivalent } = equivalentOffer(catalog, sub.offerId);
  const label = `${sub.offerName ?? source?.name ?? sub.offerId} (${sub.offerId})`;
  if (!target) {
    return {
      ok: false,
      code: 'OFFER_NOT_AVAILABLE',
      message: source
        ? `Subscription ${sub.id} of ${context.companyName}: ${label} is no longer available to ${context.targetName} in ${context.country} and its catalog has no available successor; an equivalent offer is needed to avoid data loss (R-CHN-6). This subscription stays at the source; the customer's other subscriptions move.`
        : `Subscription ${sub.id} of ${context.companyName}: ${label} is not in ${context.targetName}'s catalog for ${context.country} and no equivalent offer is known (R-CHN-6). This subscription stays at the source; the customer's other subscriptions move.`,
    };
  }
  const min = target.minimumQuantity ?? null;
  const max = target.maximumQuantity ?? null;
  if ((min !== null && sub.quantity < min) || (max !== null && sub.quantity > max)) {
    return {
      ok: false,
      code: 'SEATS_OUT_OF_BOUNDS',
      message: `Subscription ${sub.id} of ${context.companyName}: ${sub.quantity} seats of ${target.name ?? target.id} are outside the offer's bounds (${min ?? 1}..${max ?? '∞'}) at ${context.targetName}.`,
    };
  }
  if (!equivalent) {
    return { ok: true, proposed: null };
  }
  return {
    ok: true,
    proposed: {
      proposedOfferId: target.id,
      proposedOfferName: target.name ?? null,
      successorReason: licenseReassignmentWarning(
        { id: sub.offerId, name: sub.offerName ?? source?.name ?? null },
        target,
        sub.quantity,
      ),
    },
  };
}
