import { z } from 'zod';
import { pcAttributesSchema, pcCollectionSchema, pcEnum } from './common.js';

// Customers (reference §2). List items carry only id, companyProfile, relationshipToPartner.

export const pcAddressSchema = z
  .object({
    country: z.string().nullish(),
    region: z.string().nullish(),
    state: z.string().nullish(),
    city: z.string().nullish(),
  })
  .passthrough();

export const pcCompanyProfileSchema = z
  .object({
    tenantId: z.string(),
    domain: z.string(),
    companyName: z.string(),
    address: pcAddressSchema.nullish(),
  })
  .passthrough();

export const pcBillingProfileSchema = z
  .object({
    companyName: z.string().nullish(),
    defaultAddress: pcAddressSchema.nullish(),
  })
  .passthrough();

export const pcCustomerSchema = z
  .object({
    id: z.string(),
    commerceId: z.string().nullish(),
    companyProfile: pcCompanyProfileSchema,
    billingProfile: pcBillingProfileSchema.nullish(),
    relationshipToPartner: pcEnum.nullish(),
    allowDelegatedAccess: z.boolean().nullish(),
    associatedPartnerId: z.string().nullish(),
    attributes: pcAttributesSchema.optional(),
  })
  .passthrough();
export type PcCustomer = z.infer<typeof pcCustomerSchema>;

export const pcCustomerCollectionSchema = pcCollectionSchema(pcCustomerSchema);
