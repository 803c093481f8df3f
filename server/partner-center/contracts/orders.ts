import { z } from 'zod';
import { pcAttributesSchema, pcCollectionSchema, pcEnum } from './common.js';

// Orders (reference §6): POST /v1/customers/{cid}/orders → 201 Order, status "pending".

export const pcOrderLineItemSchema = z
  .object({
    lineItemNumber: z.number().int(),
    offerId: z.string(),
    subscriptionId: z.string().nullish(),
    quantity: z.number().int(),
    friendlyName: z.string().nullish(),
    partnerIdOnRecord: z.string().nullish(),
  })
  .passthrough();

export const pcOrderSchema = z
  .object({
    id: z.string(),
    referenceCustomerId: z.string().nullish(),
    billingCycle: pcEnum.nullish(),
    lineItems: z.array(pcOrderLineItemSchema),
    creationDate: z.string().nullish(),
    status: pcEnum.nullish(),
    attributes: pcAttributesSchema.optional(),
  })
  .passthrough();
export type PcOrder = z.infer<typeof pcOrderSchema>;

export const pcOrderCollectionSchema = pcCollectionSchema(pcOrderSchema);

/** The body we send; Partner Center reads it case-insensitively. */
export interface PcNewOrder {
  referenceCustomerId: string;
  billingCycle?: string;
  lineItems: Array<{
    lineItemNumber: number;
    offerId: string;
    quantity: number;
    friendlyName?: string;
    partnerIdOnRecord?: string;
  }>;
  attributes: { objectType: 'Order' };
}
