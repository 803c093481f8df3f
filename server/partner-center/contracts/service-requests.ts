import { z } from 'zod';
import { pcAttributesSchema, pcCollectionSchema, pcEnum } from './common.js';

// Service requests (reference §7): created at partner level, POST /v1/servicerequests/{locale}.

export const pcFileLinkSchema = z
  .object({ id: z.string().nullish(), name: z.string().nullish(), uri: z.string().nullish() })
  .passthrough();

export const pcServiceRequestSchema = z
  .object({
    id: z.string(),
    title: z.string().nullish(),
    description: z.string().nullish(),
    severity: pcEnum.nullish(),
    supportTopicId: z.union([z.string(), z.number()]).nullish(),
    supportTopicName: z.string().nullish(),
    status: pcEnum.nullish(),
    createdDate: z.string().nullish(),
    lastModifiedDate: z.string().nullish(),
    lastClosedDate: z.string().nullish(),
    notes: z
      .array(
        z
          .object({
            createdByName: z.string().nullish(),
            createdDate: z.string().nullish(),
            text: z.string().nullish(),
          })
          .passthrough(),
      )
      .nullish(),
    fileLinks: z.array(pcFileLinkSchema).nullish(),
    attributes: pcAttributesSchema.optional(),
  })
  .passthrough();
export type PcServiceRequest = z.infer<typeof pcServiceRequestSchema>;

export const pcServiceRequestCollectionSchema = pcCollectionSchema(pcServiceRequestSchema);

export const pcSupportTopicSchema = z
  .object({
    id: z.union([z.string(), z.number()]),
    name: z.string(),
    description: z.string().nullish(),
  })
  .passthrough();
export const pcSupportTopicCollectionSchema = pcCollectionSchema(pcSupportTopicSchema);
