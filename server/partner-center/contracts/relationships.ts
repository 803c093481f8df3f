import { z } from 'zod';
import { pcAttributesSchema, pcCollectionSchema } from './common.js';

// GET /v1/customers/relationshiprequests (reference §3): the reseller invitation URL.
export const pcRelationshipRequestSchema = z
  .object({ url: z.string(), attributes: pcAttributesSchema.optional() })
  .passthrough();
export type PcRelationshipRequest = z.infer<typeof pcRelationshipRequestSchema>;

// GET /v1/relationships?relationship_type=… (reference §2): a partner's indirect providers or
// indirect resellers.
export const pcPartnerRelationshipSchema = z
  .object({
    id: z.string(),
    name: z.string().nullish(),
    relationshipType: z.string().nullish(),
    mpnId: z.string().nullish(),
    location: z.string().nullish(),
    state: z.string().nullish(),
  })
  .passthrough();
export type PcPartnerRelationship = z.infer<typeof pcPartnerRelationshipSchema>;
export const pcPartnerRelationshipCollectionSchema = pcCollectionSchema(
  pcPartnerRelationshipSchema,
);
