import { z } from 'zod';
import { pcAttributesSchema, pcCollectionSchema, pcEnum } from './common.js';

// Audit records (reference §8): GET /v1/auditrecords?startDate=&endDate=, seek paging.
export const pcAuditRecordSchema = z
  .object({
    id: z.string(),
    partnerId: z.string().nullish(),
    customerId: z.string().nullish(),
    customerName: z.string().nullish(),
    userPrincipalName: z.string().nullish(),
    resourceType: pcEnum.nullish(),
    operationType: pcEnum,
    operationDate: z.string(),
    operationStatus: pcEnum.nullish(),
    resourceNewValue: z.string().nullish(),
    customizedData: z
      .array(z.object({ key: z.string(), value: z.string().nullish() }).passthrough())
      .nullish(),
    attributes: pcAttributesSchema.optional(),
  })
  .passthrough();
export type PcAuditRecord = z.infer<typeof pcAuditRecordSchema>;
export const pcAuditRecordCollectionSchema = pcCollectionSchema(pcAuditRecordSchema);
