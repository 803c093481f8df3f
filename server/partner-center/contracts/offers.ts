import { z } from 'zod';
import { pcCollectionSchema, pcEnum } from './common.js';

// Legacy offers (reference §6): GET /v1/offers?country=XX.
export const pcOfferSchema = z
  .object({
    id: z.string(),
    name: z.string().nullish(),
    minimumQuantity: z.number().int().nullish(),
    maximumQuantity: z.number().int().nullish(),
    isAvailableForPurchase: z.boolean().nullish(),
    billing: pcEnum.nullish(),
    isAddOn: z.boolean().nullish(),
    upgradeTargetOffers: z.array(z.string()).nullish(),
  })
  .passthrough();
export type PcOffer = z.infer<typeof pcOfferSchema>;
export const pcOfferCollectionSchema = pcCollectionSchema(pcOfferSchema);
