import { type PartnerCenterClient } from '../../partner-center/client.js';
import { type PcSubscription } from '../../partner-center/contracts/subscriptions.js';
import { PartnerCenterError } from '../../partner-center/errors.js';
import { createOrder } from '../../partner-center/operations.js';
import { type StepContext } from '../../workflows/engine/step-context.js';

export interface OrderedSubscription {
  orderId: string | null;
  subscriptionId: string;
}

/** What to order and how to recognise it afterwards. */
export interface OrderOnceRequest {
  client: PartnerCenterClient;
  customerId: string;
  offerId: string;
  quantity: number;
  friendlyName?: string | null;
  billingCycle?: string | null;
  partnerIdOnRecord?: string | null;
  /** The customer's subscriptions before the order (journalled with the intent). */
  preexisting: string[];
  /** Journalled next to offer, quantity and `preexisting` (what the order was for). */
  intent?: Record<string, unknown>;
  /** Is this new subscription of the offer the effect of our order (seats, a tag in its name)? */
  matches: (subscription: PcSubscription) => boolean;
  /** More subscriptions that are not ours (e.g. other items' journalled orders), read on lookup. */
  notOurs?: () => Promise<string[]>;
}

/**
 * Orders one subscription exactly once (journal step `order`): the intent is journalled with the
 * subscriptions that existed before; after a crash between the order and its journal entry, a new
 * subscription of the offer that `matches` is taken as the order's effect (look before create)
 * instead of ordering (and billing) twice.
 */
export async function orderOnce(
  ctx: Pick<StepContext, 'journaled'>,
  request: OrderOnceRequest,
): Promise<OrderedSubscription> {
  const { client, customerId, offerId } = request;
  const sameOffer = (s: PcSubscription) => s.offerId.toUpperCase() === offerId.toUpperCase();
  return ctx.journaled<OrderedSubscription>(
    'order',
    { offerId, quantity: request.quantity, ...request.intent, preexisting: request.preexisting },
    {
      lookup: async (intent) => {
        const known = new Set((intent as { preexisting?: string[] } | null)?.preexisting ?? []);
        for (const id of (await request.notOurs?.()) ?? []) {
          known.add(id);
        }
        const found = (await client.listSubscriptions(customerId)).find(
          (s) => sameOffer(s) && !known.has(s.id) && request.matches(s),
        );
        return found ? { orderId: found.orderId ?? null, subscriptionId: found.id } : undefined;
      },
      call: async (requestId) => {
        const created = await createOrder(
          client,
          customerId,
          {
            referenceCustomerId: customerId,
            ...(request.billingCycle ? { billingCycle: request.billingCycle } : {}),
            lineItems: [
              {
                lineItemNumber: 0,
                offerId,
                quantity: request.quantity,
                ...(request.friendlyName ? { friendlyName: request.friendlyName } : {}),
                ...(request.partnerIdOnRecord
                  ? { partnerIdOnRecord: request.partnerIdOnRecord }
                  : {}),
              },
            ],
            attributes: { objectType: 'Order' },
          },
          requestId,
        );
        const subscriptionId = created.lineItems[0]?.subscriptionId;
        if (!subscriptionId) {
          throw new PartnerCenterError({
            operation: 'POST orders',
            status: 500,
            code: 'NO_SUBSCRIPTION_ID',
            description: 'the order has no subscription id on its line item',
            retryable: false,
            requestId,
            correlationId: '',
          });
        }
        return { orderId: created.id, subscriptionId };
      },
    },
  );
}

/** The customer's subscription ids of an offer (none when the customer is unknown to the tenant). */
export async function subscriptionIds(
  client: PartnerCenterClient,
  customerId: string,
  offerId?: string,
): Promise<string[]> {
  const all = await client
    .listSubscriptions(customerId)
    .catch((e: unknown) =>
      e instanceof PartnerCenterError && e.status === 404 ? [] : Promise.reject(e),
    );
  return all
    .filter((s) => !offerId || s.offerId.toUpperCase() === offerId.toUpperCase())
    .map((s) => s.id);
}
