import { z } from 'zod';
import { pcAttributesSchema } from './common.js';

// GET /v1/customers/relationshiprequests (reference §3): the reseller invitation URL.
export const pcRelationshipRequestSchema = z
  .object({ url: z.string(), attributes: pcAttributesSchema.optional() })
  .passthrough();
export type PcRelationshipRequest = z.infer<typeof pcRelationshipRequestSchema>;
