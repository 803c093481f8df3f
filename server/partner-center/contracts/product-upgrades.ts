import { z } from 'zod';
import { pcAttributesSchema } from './common.js';

// Product upgrades (legacy MS-AZR-0145P → Azure plan, reference §9a) and the customer usage budget.

export const pcProductUpgradeEligibilitySchema = z
  .object({
    customerId: z.string().nullish(),
    productFamily: z.string().nullish(),
    isEligible: z.boolean(),
    upgradeId: z.string().nullish(),
    reason: z.string().nullish(),
  })
  .passthrough();
export type PcProductUpgradeEligibility = z.infer<typeof pcProductUpgradeEligibilitySchema>;

const pcErrorDetailsSchema = z
  .object({
    code: z.union([z.number(), z.string()]).nullish(),
    description: z.string().nullish(),
  })
  .passthrough();

const pcProductRefSchema = z
  .object({ id: z.string().nullish(), name: z.string().nullish() })
  .passthrough();

export const pcProductUpgradeLineItemSchema = z
  .object({
    sourceProduct: pcProductRefSchema.nullish(),
    targetProduct: pcProductRefSchema.nullish(),
    upgradedDate: z.string().nullish(),
    // "Completed" is seen; "InProgress" and "Failed" are [U] (reference §9a): read case-insensitively.
    status: z.string().nullish(),
    errorDetails: pcErrorDetailsSchema.nullish(),
  })
  .passthrough();
export type PcProductUpgradeLineItem = z.infer<typeof pcProductUpgradeLineItemSchema>;

export const pcProductUpgradeStatusSchema = z
  .object({
    id: z.string(),
    productFamily: z.string().nullish(),
    status: z.string().nullish(),
    lineItems: z.array(pcProductUpgradeLineItemSchema).default([]),
    errorDetails: pcErrorDetailsSchema.nullish(),
    attributes: pcAttributesSchema.optional(),
  })
  .passthrough();
export type PcProductUpgradeStatus = z.infer<typeof pcProductUpgradeStatusSchema>;

/**
 * `SpendingBudget` of `GET|PATCH /customers/{id}/usagebudget`. The amount is a JSON number, as in
 * Microsoft's swagger (the emulator sends one too); a decimal string is still read.
 */
export const pcUsageBudgetSchema = z
  .object({
    amount: z.union([z.number(), z.string()]).nullish(),
    currencyCode: z.string().nullish(),
    attributes: pcAttributesSchema.optional(),
  })
  .passthrough();
export type PcUsageBudget = z.infer<typeof pcUsageBudgetSchema>;
