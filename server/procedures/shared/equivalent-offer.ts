import { type PcOffer } from '../../partner-center/contracts/offers.js';

/** A partner's offer catalog for one country, by upper-cased offer id. */
export type OfferCatalog = Map<string, PcOffer>;

export function offerCatalog(offers: PcOffer[]): OfferCatalog {
  return new Map(offers.map((o) => [o.id.toUpperCase(), o]));
}

export const isPurchasable = (o: PcOffer | undefined): boolean =>
  !!o && o.isAvailableForPurchase !== false;

/** What an offer becomes in a partner's catalog (R-CHN-5/6). */
export interface EquivalentOffer {
  /** The offer as the catalog lists it (undefined: not in this catalog at all). */
  source: PcOffer | undefined;
  /** What to buy: the same offer, else its first purchasable catalog successor; undefined: none. */
  target: PcOffer | undefined;
  /** True when `target` is a successor, not the same offer: the users' licenses must be reassigned. */
  equivalent: boolean;
}

/**
 * The one R-CHN-6 rule, shared by the channel move and the consolidation: the same offer when it
 * is still sold (R-CHN-5: no license reassignment); when it is no longer available, the
 * equivalent Partner Center names for it (`upgradeTargetOffers`, its catalog successor) if that one
 * is purchasable; otherwise nothing can be bought without data loss.
 */
export function equivalentOffer(catalog: OfferCatalog, offerId: string): EquivalentOffer {
  const source = catalog.get(offerId.toUpperCase());
  if (source && isPurchasable(source)) {
    return { source, target: source, equivalent: false };
  }
  const target = (source?.upgradeTargetOffers ?? [])
    .map((id) => catalog.get(id.toUpperCase()))
    .find(isPurchasable);
  return { source, target, equivalent: !!target };
}

/** The R-CHN-6 warning of a successor: the users' license assignments move to the new offer. */
export function licenseReassignmentWarning(
  from: { id: string; name?: string | null },
  to: { id: string; name?: string | null },
  seats: number,
): string {
  return `${from.name ?? from.id} is no longer available; its catalog successor ${to.name ?? to.id} (${to.id}) is ordered instead: the ${seats} users' licenses must be reassigned to the new subscription (R-CHN-6).`;
}
