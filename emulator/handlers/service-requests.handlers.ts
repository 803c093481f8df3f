import { z } from 'zod';
import { onTicketCreated, onTicketUpdated } from '../autopilot/support-actors.js';
import type { ServiceRequestRecord } from '../core/model.js';
import { readableCustomer } from '../domain/access.js';
import { requireAdminAccess } from '../domain/gdap-lifecycle.js';
import { classifyTicket, parseReferences, SUPPORT_TOPICS } from '../domain/service-requests.js';
import { serviceRequestView } from '../domain/views.js';
import { ciEnum, ciObject } from '../http/body.js';
import { collection, errors, json, link, PcHttpError } from '../http/responses.js';
import type { PcRequest, PcRoute } from '../http/router.js';

const contact = ciObject({
  contactId: z.string().nullable().optional(),
  firstName: z.string().nullable().optional(),
  lastName: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
  phoneNumber: z.string().nullable().optional(),
});
const note = ciObject({ text: z.string().min(1) });
const fileInfo = ciObject({ fileName: z.string().min(1), fileLink: z.string().optional() });

/** Create body (§7): Title, Description, Severity, SupportTopicId required; PascalCase accepted. */
const createSchema = ciObject({
  title: z.string().min(1),
  description: z.string().min(1),
  severity: ciEnum(['unknown', 'critical', 'moderate', 'minimal']),
  supportTopicId: z.union([z.string().min(1), z.number()]).transform(String),
  supportTopicName: z.string().optional(),
  status: z.string().optional(),
  primaryContact: contact.nullable().optional(),
  productName: z.string().nullable().optional(),
  productId: z.string().nullable().optional(),
  newNote: note.nullable().optional(),
  countryCode: z.string().nullable().optional(),
  fileLinks: z.array(fileInfo).nullable().optional(),
});

const patchSchema = ciObject({
  status: ciEnum(['none', 'open', 'closed', 'attention_needed']).optional(),
  severity: ciEnum(['unknown', 'critical', 'moderate', 'minimal']).optional(),
  title: z.string().optional(),
  description: z.string().optional(),
  newNote: note.nullable().optional(),
  fileLinks: z.array(fileInfo).nullable().optional(),
});

function create(req: PcRequest): Response {
  const { rt, tenant } = req;
  const body = req.body(createSchema);
  const topic = SUPPORT_TOPICS.find((t) => String(t.id) === body.supportTopicId);
  if (!topic) {
    throw errors.invalidInput(`Unknown supportTopicId ${body.supportTopicId}.`);
  }
  const now = rt.nowIso();
  const refs = parseReferences(rt, tenant, `${body.title}\n${body.description}`);
  const customer =
    refs.customers.find((c) => rt.store.relationship(tenant.tenantId, c.tenantId)) ?? null;
  if (customer) {
    requireAdminAccess(rt, tenant, customer.tenantId, 'support');
  }
  const sr: ServiceRequestRecord = {
    id: rt.store.rng.digits(15),
    partnerTenantId: tenant.tenantId,
    customerTenantId: customer?.tenantId ?? null,
    kind: classifyTicket(body.title, body.description, body.supportTopicId),
    title: body.title,
    description: body.description,
    severity: body.severity,
    supportTopicId: String(topic.id),
    supportTopicName: body.supportTopicName ?? topic.name,
    status: 'open',
    organization: { id: tenant.tenantId, name: tenant.name, phoneNumber: '' },
    primaryContact: body.primaryContact ?? null,
    lastUpdatedBy: body.primaryContact ?? null,
    productName: body.productName ?? null,
    productId: body.productId ?? null,
    createdDate: now,
    lastModifiedDate: now,
    lastClosedDate: null,
    notes: body.newNote
      ? [{ createdByName: req.actor.userPrincipalName, createdDate: now, text: body.newNote.text }]
      : [],
    countryCode: (body.countryCode ?? tenant.country).toUpperCase(),
    fileLinks: (body.fileLinks ?? []).map((f) => ({
      fileName: f.fileName,
      fileLink: f.fileLink ?? '',
    })),
    locale: req.params.locale ?? 'en-US',
  };
  rt.store.addServiceRequest(sr);
  onTicketCreated(rt, sr, tenant);
  // The create example returns status "none"; later reads show "open" (§7).
  return json(serviceRequestView(sr, 'none'), 201);
}

function findRequest(req: PcRequest, customerTenantId?: string): ServiceRequestRecord {
  const sr = req.rt.store.serviceRequests.get(req.params.requestId ?? '');
  if (
    !sr ||
    sr.partnerTenantId !== req.tenant.tenantId ||
    (customerTenantId && sr.customerTenantId !== customerTenantId)
  ) {
    throw errors.notFound(`Service request ${req.params.requestId ?? ''}`);
  }
  return sr;
}

function patch(req: PcRequest, sr: ServiceRequestRecord): Response {
  const body = req.body(patchSchema);
  if (sr.status === 'closed' && body.status !== 'open') {
    throw new PcHttpError(
      400,
      800002,
      'The service request is closed; reopen it with status "open" to update it.',
    );
  }
  const now = req.rt.nowIso();
  if (body.title !== undefined) {
    sr.title = body.title;
  }
  if (body.description !== undefined) {
    sr.description = body.description;
  }
  if (body.severity !== undefined) {
    sr.severity = body.severity;
  }
  const noteAdded = !!body.newNote;
  if (body.newNote) {
    sr.notes.push({
      createdByName: req.actor.userPrincipalName,
      createdDate: now,
      text: body.newNote.text,
    });
  }
  const known = new Set(sr.fileLinks.map((f) => `${f.fileName}|${f.fileLink}`));
  const added = (body.fileLinks ?? [])
    .map((f) => ({ fileName: f.fileName, fileLink: f.fileLink ?? '' }))
    .filter((f) => !known.has(`${f.fileName}|${f.fileLink}`));
  sr.fileLinks.push(...added);
  if (body.status === 'closed') {
    sr.status = 'closed';
    sr.lastClosedDate = now;
  } else if (
    body.status === 'open' ||
    ((noteAdded || added.length > 0) && sr.status === 'attention_needed')
  ) {
    sr.status = 'open';
  }
  sr.lastModifiedDate = now;
  sr.lastUpdatedBy = { firstName: req.actor.userPrincipalName, email: req.actor.userPrincipalName };
  onTicketUpdated(req.rt, sr, { fileAdded: added.length > 0, noteAdded });
  return json(serviceRequestView(sr));
}

/** `filter={"Field":"Status","Value":"Open","Operator":"equals"}`, `size`, `offset` (§7). */
function list(req: PcRequest, customerTenantId?: string): Response {
  const raw = req.query('filter');
  let status: string | undefined;
  if (raw) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw errors.invalidInput('The filter parameter is not valid JSON.');
    }
    const f = ciObject({
      field: z.string(),
      value: z.string(),
      operator: z.string().optional(),
    }).safeParse(parsed);
    if (!f.success || f.data.field.toLowerCase() !== 'status') {
      throw errors.invalidInput('Service requests can be filtered by Status only.');
    }
    status = f.data.value.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  }
  const offset = Number(req.query('offset') ?? '0');
  const size = Number(req.query('size') ?? String(req.rt.options.paging.serviceRequestsDefault));
  const all = [...req.rt.store.serviceRequests.values()].filter(
    (sr) =>
      sr.partnerTenantId === req.tenant.tenantId &&
      (!customerTenantId || sr.customerTenantId === customerTenantId) &&
      (!status || sr.status === status),
  );
  const page = all.slice(offset, offset + size);
  const base = customerTenantId
    ? `/customers/${customerTenantId}/servicerequests`
    : '/servicerequests';
  return json(
    collection(
      page.map((sr) => serviceRequestView(sr)),
      {
        selfUri: base,
        next:
          offset + size < all.length
            ? link(`${base}?offset=${offset + size}&size=${size}`)
            : undefined,
      },
    ),
  );
}

export function serviceRequestsHandlers(): PcRoute[] {
  const f = { family: 'service_requests' as const };
  const customerBase = '/v1/customers/:customerId/servicerequests';
  const customerOf = (req: PcRequest): string =>
    readableCustomer(req.rt, req.tenant, req.params.customerId ?? '').customer.tenantId;
  return [
    {
      method: 'GET',
      pattern: '/v1/servicerequests/supporttopics',
      ...f,
      handle: () =>
        json(
          collection(
            SUPPORT_TOPICS.map((t) => ({
              name: t.name,
              description: t.description,
              id: t.id,
              attributes: { objectType: 'SupportTopic' },
            })),
          ),
        ),
    },
    { method: 'GET', pattern: '/v1/servicerequests', ...f, handle: (req) => list(req) },
    { method: 'POST', pattern: '/v1/servicerequests/:locale', ...f, handle: create },
    {
      method: 'GET',
      pattern: '/v1/servicerequests/:requestId',
      ...f,
      handle: (req) => json(serviceRequestView(findRequest(req))),
    },
    {
      method: 'PATCH',
      pattern: '/v1/servicerequests/:requestId',
      ...f,
      handle: (req) => patch(req, findRequest(req)),
    },
    { method: 'GET', pattern: customerBase, ...f, handle: (req) => list(req, customerOf(req)) },
    {
      method: 'GET',
      pattern: `${customerBase}/:requestId`,
      ...f,
      handle: (req) => json(serviceRequestView(findRequest(req, customerOf(req)))),
    },
    {
      method: 'PATCH',
      pattern: `${customerBase}/:requestId`,
      ...f,
      handle: (req) => patch(req, findRequest(req, customerOf(req))),
    },
  ];
}
