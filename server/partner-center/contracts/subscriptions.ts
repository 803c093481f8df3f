import { z } from 'zod';
import { pcAttributesSchema, pcCollectionSchema, pcEnum } from './common.js';

// Subscriptions and Azure entitlements (reference §5).

export const pcSubscriptionSchema = z
  .object({
    id: z.string(),
    offerId: z.string(),
    offerName: z.string().nullish(),
    friendlyName: z.string().nullish(),
    entitlementId: z.string().nullish(),
    quantity: z.number().int(),
    unitType: z.string().nullish(),
    status: pcEnum,
    billingType: pcEnum.nullish(),
    billingCycle: pcEnum.nullish(),
    autoRenewEnabled: z.boolean().nullish(),
    creationDate: z.string().nullish(),
    effectiveStartDate: z.string().nullish(),
    commitmentEndDate: z.string().nullish(),
    partnerId: z.string().nullish(),
    orderId: z.string().nullish(),
    termDuration: z.string().nullish(),
    parentSubscriptionId: z.string().nullish(),
    suspensionReasons: z.array(z.string()).nullish(),
    cancellationAllowedUntilDate: z.string().nullish(),
    /** Set on a subscription created by a move (consolidation, transfer, migration). */
    migratedFromSubscriptionId: z.string().nullish(),
    actions: z.array(z.string()).nullish(),
    productType: z
      .object({ id: z.string().nullish(), displayName: z.string().nullish() })
      .passthrough()
      .nullish(),
    attributes: pcAttributesSchema.optional(),
  })
  .passthrough();
export type PcSubscription = z.infer<typeof pcSubscriptionSchema>;

export const pcSubscriptionCollectionSchema = pcCollectionSchema(pcSubscriptionSchema);

export const pcAzureEntitlementSchema = z
  .object({
    id: z.string(),
    friendlyName: z.string().nullish(),
    status: pcEnum,
    subscriptionId: z.string().nullish(),
    azurePlanSubscriptionId: z.string().nullish(),
  })
  .passthrough();
export type PcAzureEntitlement = z.infer<typeof pcAzureEntitlementSchema>;

export const pcAzureEntitlementCollectionSchema = pcCollectionSchema(pcAzureEntitlementSchema);
