import { z } from 'zod';
import { pcCollectionSchema } from './common.js';

// Customer agreements (reference §4).

export const pcAgreementSchema = z
  .object({
    type: z.string(),
    templateId: z.string().nullish(),
    dateAgreed: z.string().nullish(),
    agreementLink: z.string().nullish(),
    userId: z.string().nullish(),
    primaryContact: z
      .object({
        firstName: z.string().nullish(),
        lastName: z.string().nullish(),
        email: z.string().nullish(),
      })
      .passthrough()
      .nullish(),
  })
  .passthrough();
export type PcAgreement = z.infer<typeof pcAgreementSchema>;

export const pcAgreementCollectionSchema = pcCollectionSchema(pcAgreementSchema);
