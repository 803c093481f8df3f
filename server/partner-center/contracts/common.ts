import { z } from 'zod';

// Wire contracts shared by every Partner Center resource (reference §1). Objects are passthrough:
// Partner Center adds fields over time, and we validate only what we read.

/** Enum strings are lower snake_case, but reading them is case-insensitive. */
export const pcEnum = z.string().transform((v) => v.toLowerCase());

export const pcLinkSchema = z
  .object({
    uri: z.string(),
    method: z.string().optional(),
    headers: z.array(z.object({ key: z.string(), value: z.string() })).optional(),
  })
  .passthrough();
export type PcLink = z.infer<typeof pcLinkSchema>;

export const pcAttributesSchema = z
  .object({ objectType: z.string().optional(), etag: z.string().optional() })
  .passthrough();

/** The collection envelope: `{ totalCount, items, links{self,next?,previous?}, attributes, continuationToken? }`. */
export function pcCollectionSchema<T extends z.ZodTypeAny>(item: T) {
  return z
    .object({
      totalCount: z.number().int().optional(),
      items: z.array(item),
      links: z
        .object({
          self: pcLinkSchema.optional(),
          next: pcLinkSchema.optional(),
          previous: pcLinkSchema.optional(),
        })
        .passthrough()
        .optional(),
      continuationToken: z.string().nullish(),
      attributes: pcAttributesSchema.optional(),
    })
    .passthrough();
}
export type PcCollection<T> = {
  totalCount?: number;
  items: T[];
  links?: { self?: PcLink; next?: PcLink; previous?: PcLink };
  continuationToken?: string | null;
};

/** Error body `{code, description, data, source}`; `code` is a number or a string. */
export const pcErrorBodySchema = z
  .object({
    code: z.union([z.number(), z.string()]).optional(),
    description: z.string().optional(),
    data: z.array(z.unknown()).optional(),
    source: z.string().optional(),
    // The 429 example body: {"statusCode":429,"message":"Rate limit is exceeded..."}
    statusCode: z.number().optional(),
    message: z.string().optional(),
  })
  .passthrough();

/** The continuation token of a seek-paged collection's next page, if any. */
export function nextContinuationToken(collection: PcCollection<unknown>): string | null {
  const header = collection.links?.next?.headers?.find(
    (h) => h.key.toLowerCase() === 'ms-continuationtoken',
  );
  if (header?.value) {
    return header.value;
  }
  if (collection.links?.next && collection.continuationToken) {
    return collection.continuationToken;
  }
  return null;
}
