import { json, PcHttpError } from './responses.js';

/**
 * Microsoft Graph wire helpers for the GDAP surface: OData envelopes (`@odata.context`, `value`,
 * `@odata.nextLink`) and Graph errors `{error:{code, message, innerError}}`. Graph handlers throw
 * {@link GraphHttpError} (a PcHttpError with a string code, so the shared pipeline handles it);
 * {@link toGraphShape} rewrites every error leaving the `/graph` scope — the handlers' own, body
 * validation, auth, routing, faults and throttling — into the Graph shape.
 */
export const GRAPH_ROOT = 'https://graph.microsoft.com/v1.0';
export const GRAPH_METADATA = `${GRAPH_ROOT}/tenantRelationships/$metadata`;

export class GraphHttpError extends PcHttpError {
  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(status, code, message, [], headers);
    this.name = 'GraphHttpError';
  }
}

export const graphErrors = {
  badRequest: (message: string): GraphHttpError => new GraphHttpError(400, 'BadRequest', message),
  notFound: (what: string): GraphHttpError =>
    new GraphHttpError(404, 'ResourceNotFound', `${what} was not found.`),
  conflict: (message: string): GraphHttpError => new GraphHttpError(409, 'Conflict', message),
  preconditionFailed: (message: string): GraphHttpError =>
    new GraphHttpError(412, 'PreconditionFailed', message),
  forbidden: (message: string): GraphHttpError =>
    new GraphHttpError(403, 'Authorization_RequestDenied', message),
};

const CODE_BY_STATUS: Record<number, string> = {
  400: 'BadRequest',
  401: 'InvalidAuthenticationToken',
  403: 'Authorization_RequestDenied',
  404: 'ResourceNotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  412: 'PreconditionFailed',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

/** Rewrites a Partner Center-shaped (or throttling) error into a Graph error; 2xx pass through. */
export async function toGraphShape(res: Response): Promise<Response> {
  if (res.type === 'error' || res.status < 400) {
    return res;
  }
  const text = await res.clone().text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return res; // an injected malformed body stays malformed
  }
  if (!parsed || typeof parsed !== 'object' || 'error' in parsed) {
    return res;
  }
  const body = parsed as { code?: unknown; description?: unknown; message?: unknown };
  const code =
    typeof body.code === 'string' && !/^\d+$/.test(body.code)
      ? body.code
      : (CODE_BY_STATUS[res.status] ?? 'UnknownError');
  const message =
    typeof body.description === 'string'
      ? body.description
      : typeof body.message === 'string'
        ? body.message
        : `Request failed with status ${res.status}.`;
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    if (k.toLowerCase() !== 'content-length') {
      headers[k] = v;
    }
  });
  const requestId = res.headers.get('MS-RequestId') ?? res.headers.get('request-id') ?? '';
  return json(
    {
      error: {
        code,
        message,
        innerError: {
          date: new Date().toISOString().slice(0, 19),
          'request-id': requestId,
          'client-request-id': requestId,
        },
      },
    },
    res.status,
    headers,
  );
}

/** A Graph collection: `{@odata.context, value, @odata.nextLink?}`. */
export function odataCollection(
  entitySet: string,
  value: unknown[],
  nextLink?: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    '@odata.context': `${GRAPH_METADATA}#${entitySet}`,
    value,
  };
  if (nextLink) {
    out['@odata.nextLink'] = nextLink;
  }
  return out;
}

export function odataEntity(
  entitySet: string,
  entity: Record<string, unknown>,
): Record<string, unknown> {
  return { '@odata.context': `${GRAPH_METADATA}#${entitySet}/$entity`, ...entity };
}

/** Weak ETag as Graph prints them: `W/"<base64>"`. */
export function weakEtag(opaque: string): string {
  return `W/"${Buffer.from(`"${opaque}"`).toString('base64')}"`;
}
