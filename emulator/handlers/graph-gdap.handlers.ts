import type { GdapRelationshipRecord } from '../core/gdap.model.js';
import { isLive } from '../domain/gdap-lifecycle.js';
import {
  accessAssignmentSchema,
  accessAssignmentUpdateSchema,
  createAccessAssignment,
  deleteAccessAssignment,
  findAccessAssignment,
  updateAccessAssignment,
} from '../domain/gdap-access.service.js';
import {
  checkIfMatch,
  createRelationship,
  createRelationshipSchema,
  createRequest,
  deleteRelationship,
  requestSchema,
  updateRelationship,
  updateRelationshipSchema,
  visibleRelationship,
} from '../domain/gdap.service.js';
import {
  accessAssignmentView,
  operationView,
  relationshipLocation,
  relationshipView,
  RELATIONSHIPS_PATH,
  requestView,
} from '../domain/gdap.views.js';
import {
  GRAPH_ROOT,
  graphErrors,
  odataCollection,
  odataEntity,
  weakEtag,
} from '../http/graph-responses.js';
import { json, noContent } from '../http/responses.js';
import type { PcRequest, PcRoute } from '../http/router.js';

const BASE = `/graph/v1.0${RELATIONSHIPS_PATH}`;
const CUSTOMERS = '/graph/v1.0/tenantRelationships/delegatedAdminCustomers';
const DEFAULT_TOP = 100;
const MAX_TOP = 300;

/** `$top` + `$skiptoken` paging with `@odata.nextLink` (page sizes are a guess). */
function page<T>(
  req: PcRequest,
  items: T[],
  entitySet: string,
): { '@odata.context': string; value: T[] } & Record<string, unknown> {
  const rawTop = req.query('$top');
  const top = rawTop === null ? DEFAULT_TOP : Number(rawTop);
  if (!Number.isInteger(top) || top < 1) {
    throw graphErrors.badRequest(`Invalid $top value "${rawTop ?? ''}".`);
  }
  const size = Math.min(top, MAX_TOP);
  const token = req.query('$skiptoken');
  const offset = token === null ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isInteger(offset) || offset < 0) {
    throw graphErrors.badRequest('The $skiptoken is not valid.');
  }
  const slice = items.slice(offset, offset + size).map((item) => select(req, item));
  let next: string | undefined;
  if (offset + size < items.length) {
    const u = new URL(`${GRAPH_ROOT}${req.path.replace(/^\/graph\/v1\.0/i, '')}`);
    req.url.searchParams.forEach((v, k) => {
      if (k !== '$skiptoken') {
        u.searchParams.set(k, v);
      }
    });
    u.searchParams.set('$skiptoken', Buffer.from(String(offset + size)).toString('base64url'));
    next = u.toString();
  }
  const out = odataCollection(entitySet, slice, next);
  if (req.query('$count')?.toLowerCase() === 'true') {
    out['@odata.count'] = items.length;
  }
  return out as { '@odata.context': string; value: T[] };
}

/** `$select=a,b`: keeps those properties (plus `@odata.*` annotations and `id`). */
function select<T>(req: PcRequest, item: T): T {
  const raw = req.query('$select');
  if (!raw || !item || typeof item !== 'object') {
    return item;
  }
  const wanted = new Set(raw.split(',').map((f) => f.trim().toLowerCase()));
  return Object.fromEntries(
    Object.entries(item as Record<string, unknown>).filter(
      ([k]) => k.startsWith('@odata.') || k === 'id' || wanted.has(k.toLowerCase()),
    ),
  ) as T;
}

/** `$filter` with `eq` clauses joined by `and` on status, displayName and customer/tenantId. */
function filterRelationships(
  req: PcRequest,
  rels: GdapRelationshipRecord[],
): GdapRelationshipRecord[] {
  const raw = req.query('$filter');
  if (!raw) {
    return rels;
  }
  const clauses = raw.split(/\s+and\s+/i).map((c) => {
    const m = /^\s*([\w/]+)\s+eq\s+'([^']*)'\s*$/i.exec(c);
    if (!m?.[1] || m[2] === undefined) {
      throw graphErrors.badRequest(`Unsupported $filter clause "${c}".`);
    }
    const field = m[1].toLowerCase();
    if (!['status', 'displayname', 'customer/tenantid'].includes(field)) {
      throw graphErrors.badRequest(`$filter on "${m[1]}" is not supported.`);
    }
    return { field, value: m[2].toLowerCase() };
  });
  return rels.filter((r) =>
    clauses.every(({ field, value }) => {
      const actual =
        field === 'status'
          ? r.status
          : field === 'displayname'
            ? r.displayName
            : (r.customer?.tenantId ?? '');
      return actual.toLowerCase() === value;
    }),
  );
}

const preferUnknown = (req: PcRequest): boolean =>
  /include-unknown-enum-members/i.test(req.header('Prefer') ?? '');

function relationshipFor(req: PcRequest): GdapRelationshipRecord {
  return visibleRelationship(req.rt, req.tenant, req.params.id ?? '');
}

function list(req: PcRequest): Response {
  const rels = filterRelationships(req, req.rt.store.gdap.relationshipsOf(req.tenant.tenantId))
    .sort((a, b) =>
      a.createdDateTime === b.createdDateTime
        ? a.id.localeCompare(b.id)
        : a.createdDateTime.localeCompare(b.createdDateTime),
    )
    .map(relationshipView);
  return json(page(req, rels, 'delegatedAdminRelationships'));
}

function create(req: PcRequest): Response {
  const body = req.body(createRelationshipSchema);
  const rel = createRelationship(req.rt, req.tenant, body);
  const view = relationshipView(rel);
  return json(odataEntity('delegatedAdminRelationships', view), 201, {
    Location: relationshipLocation(rel.id),
    ETag: String(view['@odata.etag']),
  });
}

function getOne(req: PcRequest): Response {
  const view = relationshipView(relationshipFor(req));
  return json(odataEntity('delegatedAdminRelationships', select(req, view)), 200, {
    ETag: String(view['@odata.etag']),
  });
}

function patch(req: PcRequest): Response {
  const rel = relationshipFor(req);
  checkIfMatch(req.header('If-Match'), rel.etag, weakEtag(rel.etag));
  updateRelationship(req.rt, rel, req.body(updateRelationshipSchema));
  const view = relationshipView(rel);
  return json(odataEntity('delegatedAdminRelationships', view), 200, {
    ETag: String(view['@odata.etag']),
  });
}

function remove(req: PcRequest): Response {
  const rel = relationshipFor(req);
  checkIfMatch(req.header('If-Match'), rel.etag, weakEtag(rel.etag));
  deleteRelationship(req.rt, rel);
  return noContent();
}

function listRequests(req: PcRequest): Response {
  const rel = relationshipFor(req);
  const items = [...req.rt.store.gdap.requests.values()]
    .filter((r) => r.relationshipId === rel.id)
    .map((r) => requestView(r, preferUnknown(req)));
  return json(page(req, items, 'requests'));
}

function postRequest(req: PcRequest): Response {
  const rel = relationshipFor(req);
  const body = req.body(requestSchema);
  const created = createRequest(req.rt, req.actor, req.tenant, rel, body.action);
  return json(odataEntity('requests', requestView(created, preferUnknown(req))), 201, {
    Location: `${relationshipLocation(rel.id)}/requests/${created.id}`,
  });
}

function getRequest(req: PcRequest): Response {
  const rel = relationshipFor(req);
  const r = req.rt.store.gdap.requests.get((req.params.requestId ?? '').toLowerCase());
  if (!r || r.relationshipId !== rel.id) {
    throw graphErrors.notFound(`Request ${req.params.requestId ?? ''}`);
  }
  return json(odataEntity('requests', requestView(r, preferUnknown(req))));
}

function listAssignments(req: PcRequest): Response {
  const rel = relationshipFor(req);
  const items = [...req.rt.store.gdap.accessAssignments.values()]
    .filter((a) => a.relationshipId === rel.id)
    .map(accessAssignmentView);
  return json(page(req, items, 'accessAssignments'));
}

function postAssignment(req: PcRequest): Response {
  const rel = relationshipFor(req);
  const a = createAccessAssignment(req.rt, req.actor, rel, req.body(accessAssignmentSchema));
  const view = accessAssignmentView(a);
  return json(odataEntity('accessAssignments', view), 201, {
    Location: `${relationshipLocation(rel.id)}/accessAssignments/${a.id}`,
    ETag: String(view['@odata.etag']),
  });
}

function getAssignment(req: PcRequest): Response {
  const rel = relationshipFor(req);
  const view = accessAssignmentView(
    findAccessAssignment(req.rt, rel, req.params.assignmentId ?? ''),
  );
  return json(odataEntity('accessAssignments', view), 200, {
    ETag: String(view['@odata.etag']),
  });
}

function patchAssignment(req: PcRequest): Response {
  const rel = relationshipFor(req);
  const a = findAccessAssignment(req.rt, rel, req.params.assignmentId ?? '');
  checkIfMatch(req.header('If-Match'), a.etag, weakEtag(a.etag));
  const op = updateAccessAssignment(req.rt, rel, a, req.body(accessAssignmentUpdateSchema));
  return new Response(null, {
    status: 202,
    headers: { Location: `${relationshipLocation(rel.id)}/operations/${op.id}` },
  });
}

function deleteAssignment(req: PcRequest): Response {
  const rel = relationshipFor(req);
  const a = findAccessAssignment(req.rt, rel, req.params.assignmentId ?? '');
  checkIfMatch(req.header('If-Match'), a.etag, weakEtag(a.etag));
  deleteAccessAssignment(req.rt, req.actor, rel, a);
  return new Response(null, { status: 202 });
}

function listOperations(req: PcRequest): Response {
  const rel = relationshipFor(req);
  const items = [...req.rt.store.gdap.operations.values()]
    .filter((o) => o.relationshipId === rel.id)
    .map(operationView);
  return json(page(req, items, 'operations'));
}

function getOperation(req: PcRequest): Response {
  const rel = relationshipFor(req);
  const op = req.rt.store.gdap.operations.get((req.params.operationId ?? '').toLowerCase());
  if (!op || op.relationshipId !== rel.id) {
    throw graphErrors.notFound(`Operation ${req.params.operationId ?? ''}`);
  }
  return json(odataEntity('operations', operationView(op)));
}

/** `delegatedAdminCustomers`: customers with at least one active relationship with the caller. */
function adminCustomers(req: PcRequest): { id: string; tenantId: string; displayName: string }[] {
  const seen = new Map<string, { id: string; tenantId: string; displayName: string }>();
  for (const r of req.rt.store.gdap.relationshipsOf(req.tenant.tenantId)) {
    if (isLive(r) && r.customer && !seen.has(r.customer.tenantId)) {
      seen.set(r.customer.tenantId, {
        id: r.customer.tenantId,
        tenantId: r.customer.tenantId,
        displayName: r.customer.displayName ?? '',
      });
    }
  }
  return [...seen.values()].sort((a, b) => a.displayName.localeCompare(b.displayName));
}

function adminCustomer(req: PcRequest): { id: string; tenantId: string; displayName: string } {
  const id = (req.params.customerId ?? '').toLowerCase();
  const found = adminCustomers(req).find((c) => c.id === id);
  if (!found) {
    throw graphErrors.notFound(`Delegated admin customer ${req.params.customerId ?? ''}`);
  }
  return found;
}

const SERVICES = [
  [
    'MicrosoftCommerce',
    'Microsoft 365 admin center',
    'https://admin.microsoft.com/Partner/BeginClientSession.aspx?CTID={t}&CSDEST=o365admincenter',
  ],
  ['MicrosoftEntra', 'Microsoft Entra admin center', 'https://entra.microsoft.com/{t}'],
  ['AzurePortal', 'Azure portal', 'https://portal.azure.com/{t}'],
  [
    'ExchangeOnline',
    'Exchange admin center',
    'https://admin.exchange.microsoft.com/?landingpage=homepage&form=mac_sidebar&delegatedOrg={t}',
  ],
] as const;

export function graphGdapHandlers(): PcRoute[] {
  const r = (method: string, pattern: string, handle: PcRoute['handle']): PcRoute => ({
    method,
    pattern,
    family: 'graph',
    handle,
  });
  return [
    r('GET', BASE, list),
    r('POST', BASE, create),
    r('GET', `${BASE}/:id`, getOne),
    r('PATCH', `${BASE}/:id`, patch),
    r('DELETE', `${BASE}/:id`, remove),
    r('GET', `${BASE}/:id/requests`, listRequests),
    r('POST', `${BASE}/:id/requests`, postRequest),
    r('GET', `${BASE}/:id/requests/:requestId`, getRequest),
    r('GET', `${BASE}/:id/accessAssignments`, listAssignments),
    r('POST', `${BASE}/:id/accessAssignments`, postAssignment),
    r('GET', `${BASE}/:id/accessAssignments/:assignmentId`, getAssignment),
    r('PATCH', `${BASE}/:id/accessAssignments/:assignmentId`, patchAssignment),
    r('DELETE', `${BASE}/:id/accessAssignments/:assignmentId`, deleteAssignment),
    r('GET', `${BASE}/:id/operations`, listOperations),
    r('GET', `${BASE}/:id/operations/:operationId`, getOperation),
    r('GET', CUSTOMERS, (req) => json(page(req, adminCustomers(req), 'delegatedAdminCustomers'))),
    r('GET', `${CUSTOMERS}/:customerId`, (req) =>
      json(odataEntity('delegatedAdminCustomers', adminCustomer(req))),
    ),
    r('GET', `${CUSTOMERS}/:customerId/serviceManagementDetails`, (req) => {
      const c = adminCustomer(req);
      return json(
        page(
          req,
          SERVICES.map(([serviceId, serviceName, url]) => ({
            id: `${c.tenantId}-${serviceId}`,
            serviceId,
            serviceName,
            serviceManagementUrl: url.replace('{t}', c.tenantId),
          })),
          'serviceManagementDetails',
        ),
      );
    }),
  ];
}
