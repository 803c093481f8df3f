const MAX_SEEK_PAGES = 10_000;

/**
 * Runs `fetchPage` from the first page until no continuation token is returned (a repeated
 * token ends the paging too: reference §1 "Pagination").
 */
export async function collectSeekPages<T>(
  fetchPage: (
    continuationToken: string | null,
  ) => Promise<{ items: T[]; continuationToken: string | null }>,
): Promise<T[]> {
  const all: T[] = [];
  const seen = new Set<string>();
  let token: string | null = null;
  for (let page = 0; page < MAX_SEEK_PAGES; page++) {
    const result = await fetchPage(token);
    all.push(...result.items);
    if (!result.continuationToken || seen.has(result.continuationToken)) {
      return all;
    }
    seen.add(result.continuationToken);
    token = result.continuationToken;
  }
  throw new Error(`Partner Center seek paging exceeded ${MAX_SEEK_PAGES} pages`);
}
