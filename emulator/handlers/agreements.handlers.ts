import { z } from 'zod';
import { onMcaNeeded } from '../autopilot/customer-actors.js';
import { MCA_LINK, MCA_TEMPLATE_ID } from '../core/catalog.js';
import { hasSignedMca, readableCustomer, transactableCustomer } from '../domain/access.js';
import { writeAudit } from '../domain/audit.js';
import { agreementView } from '../domain/views.js';
import { ciObject } from '../http/body.js';
import { collection, json, PcHttpError } from '../http/responses.js';
import type { PcRequest, PcRoute } from '../http/router.js';

const CLOUD_AGREEMENT_TEMPLATE = '998b88de-aa99-4388-a42c-1b3517d49490';

const agreementType = z
  .string()
  .transform((v) => v.toLowerCase())
  .pipe(z.enum(['microsoftcustomeragreement', 'microsoftcloudagreement']))
  .transform((v) =>
    v === 'microsoftcustomeragreement' ? 'MicrosoftCustomerAgreement' : 'MicrosoftCloudAgreement',
  );

const createSchema = ciObject({
  primaryContact: ciObject({
    firstName: z.string().min(1),
    lastName: z.string().min(1),
    email: z.string().email(),
    phoneNumber: z.string().optional(),
  }),
  templateId: z.string().min(1),
  dateAgreed: z.string().min(1),
  type: agreementType,
});

/** `GET /agreements?agreementType=MicrosoftCustomerAgreement`: agreement metadata (§4). */
function metadata(req: PcRequest): Response {
  const type = (req.query('agreementType') ?? 'MicrosoftCustomerAgreement').toLowerCase();
  const all = [
    {
      templateId: MCA_TEMPLATE_ID,
      agreementType: 'MicrosoftCustomerAgreement',
      agreementLink: MCA_LINK,
      versionRank: 0,
    },
    {
      templateId: CLOUD_AGREEMENT_TEMPLATE,
      agreementType: 'MicrosoftCloudAgreement',
      agreementLink: 'https://aka.ms/microsoftcloudagreement',
      versionRank: 0,
    },
  ];
  const items = all
    .filter((a) => type === 'all' || a.agreementType.toLowerCase() === type)
    .map((a) => ({ ...a, attributes: { objectType: 'AgreementMetaData' } }));
  return json(collection(items));
}

function list(req: PcRequest): Response {
  const { customer } = readableCustomer(req.rt, req.tenant, req.params.customerId ?? '');
  // The partner is looking at the customer's agreements: a customer that will sign now does so (autopilot).
  onMcaNeeded(req.rt, customer);
  const type = req.query('agreementType')?.toLowerCase();
  const items = (req.rt.store.agreementsByCustomer.get(customer.tenantId) ?? []).filter(
    (a) => !type || a.type.toLowerCase() === type,
  );
  return json(collection(items.map(agreementView)));
}

/** `POST /customers/{id}/agreements` → 201; a duplicate MCA gives 400/600061 [S] (§4). */
function create(req: PcRequest): Response {
  const { rt, tenant } = req;
  const { customer } = transactableCustomer(rt, tenant, req.params.customerId ?? '');
  const body = req.body(createSchema);
  const expected =
    body.type === 'MicrosoftCustomerAgreement' ? MCA_TEMPLATE_ID : CLOUD_AGREEMENT_TEMPLATE;
  if (body.templateId.toLowerCase() !== expected) {
    throw new PcHttpError(
      400,
      800002,
      `templateId ${body.templateId} is not the current ${body.type} template.`,
    );
  }
  if (Number.isNaN(Date.parse(body.dateAgreed))) {
    throw new PcHttpError(400, 800002, 'dateAgreed must be an ISO 8601 date.');
  }
  const existing = (rt.store.agreementsByCustomer.get(customer.tenantId) ?? []).find(
    (a) => a.type === body.type && a.partnerTenantId === tenant.tenantId,
  );
  if (existing) {
    throw new PcHttpError(
      400,
      600061,
      `The customer already has a ${body.type} confirmed by this partner.`,
    );
  }
  const record = {
    id: rt.newId(),
    customerTenantId: customer.tenantId,
    partnerTenantId: tenant.tenantId,
    type: body.type,
    templateId: expected,
    dateAgreed: new Date(body.dateAgreed).toISOString(),
    userId: tenant.adminAgentsGroupId,
    primaryContact: body.primaryContact,
    agreementLink:
      body.type === 'MicrosoftCustomerAgreement'
        ? MCA_LINK
        : 'https://aka.ms/microsoftcloudagreement',
  };
  rt.store.addAgreement(record);
  writeAudit(rt, {
    actor: req.actor,
    customer,
    resourceType: 'agreement',
    operationType: 'create_agreement',
    newValue: { type: record.type, templateId: record.templateId, dateAgreed: record.dateAgreed },
  });
  return json(agreementView(record), 201);
}

function directSigned(req: PcRequest): Response {
  const { customer } = readableCustomer(req.rt, req.tenant, req.params.customerId ?? '');
  onMcaNeeded(req.rt, customer);
  return json({
    isSigned: customer.directSignedMca,
    // Emulator convenience: whether any MCA (direct or attested) is in place.
    hasMicrosoftCustomerAgreement: hasSignedMca(req.rt, customer),
    attributes: { objectType: 'DirectSignedCustomerAgreementStatus' },
  });
}

export function agreementsHandlers(): PcRoute[] {
  const common = { family: 'agreements' as const, customerParam: 'customerId' };
  return [
    { method: 'GET', pattern: '/v1/agreements', family: 'agreements', handle: metadata },
    { method: 'GET', pattern: '/v1/customers/:customerId/agreements', ...common, handle: list },
    { method: 'POST', pattern: '/v1/customers/:customerId/agreements', ...common, handle: create },
    {
      method: 'GET',
      pattern: '/v1/customers/:customerId/directSignedMicrosoftCustomerAgreementStatus',
      ...common,
      handle: directSigned,
    },
  ];
}
