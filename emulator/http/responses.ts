/**
 * Partner Center wire helpers: error body `{code, description, data, source:"PartnerFD"}`
 * (partner-center-api.md §1 "Error body"), the collection envelope, links.
 */
export const PC_SOURCE = 'PartnerFD';

export interface PcLink {
  uri: string;
  method: string;
  headers: { key: string; value: string }[];
}

export function link(
  uri: string,
  method = 'GET',
  headers: { key: string; value: string }[] = [],
): PcLink {
  return { uri, method, headers };
}

export interface PcErrorBody {
  code: number | string;
  description: string;
  data: unknown[];
  source: string;
}

/** A Partner Center error raised from domain code; the pipeline turns it into a response. */
export class PcHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: number | string,
    readonly description: string,
    readonly data: unknown[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(`${status}/${String(code)}: ${description}`);
    this.name = 'PcHttpError';
  }
}

export function pcErrorBody(
  code: number | string,
  description: string,
  data: unknown[] = [],
): PcErrorBody {
  return { code, description: description.slice(0, 1024), data, source: PC_SOURCE };
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
  });
}

export function pcError(
  status: number,
  code: number | string,
  description: string,
  data: unknown[] = [],
  headers: Record<string, string> = {},
): Response {
  return json(pcErrorBody(code, description, data), status, headers);
}

export function noContent(headers: Record<string, string> = {}): Response {
  return new Response(null, { status: 204, headers });
}

/** The collection envelope. `totalCount` is the page's item count, as the .NET SDK sets it (§1). */
export function collection(
  items: unknown[],
  options: {
    selfUri?: string;
    next?: PcLink;
    previous?: PcLink;
    continuationToken?: string;
    objectType?: string;
  } = {},
): Record<string, unknown> {
  const links: Record<string, PcLink> = {};
  if (options.selfUri) {
    links.self = link(options.selfUri);
  }
  if (options.next) {
    links.next = options.next;
  }
  if (options.previous) {
    links.previous = options.previous;
  }
  const body: Record<string, unknown> = {
    totalCount: items.length,
    items,
    links,
    attributes: { objectType: options.objectType ?? 'Collection' },
  };
  if (options.continuationToken) {
    body.continuationToken = options.continuationToken;
  }
  return body;
}

/** Common errors, named for readability at call sites. */
export const errors = {
  notFound: (what: string): PcHttpError => new PcHttpError(404, 1000, `${what} was not found.`),
  invalidInput: (description: string, data: unknown[] = []): PcHttpError =>
    new PcHttpError(400, 800002, description, data),
  noRelationship: (customerTenantId: string): PcHttpError =>
    new PcHttpError(
      403,
      20002,
      `The partner does not have a commerce relationship with the customer ${customerTenantId}.`,
    ),
  mcaRequired: (customerTenantId: string): PcHttpError =>
    new PcHttpError(
      403,
      13605,
      `Microsoft Customer Agreement confirmation or acceptance is required for customer ${customerTenantId} before this purchase.`,
    ),
};
