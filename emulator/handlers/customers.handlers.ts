import { z } from 'zod';
import type { CustomerRecord, RelationshipRecord } from '../core/model.js';
import type { EmulatorRuntime } from '../core/runtime.js';
import { onInvitationRequested } from '../autopilot/customer-actors.js';
import { readableCustomer } from '../domain/access.js';
import { writeAudit } from '../domain/audit.js';
import {
  billingProfileView,
  companyProfileView,
  customerListItemView,
  customerView,
} from '../domain/views.js';
import { ciEnum, ciObject } from '../http/body.js';
import { decodeToken, pageSize, seekPage } from '../http/paging.js';
import { collection, errors, json, link, PcHttpError } from '../http/responses.js';
import type { PcRequest, PcRoute } from '../http/router.js';

const filterSchema = ciObject({
  field: z.string(),
  value: z.string(),
  operator: z.string(),
});

type CustomerFilter = {
  field: 'companyname' | 'domain' | 'indirectreseller' | 'indirectcloudsolutionprovider';
  value: string;
};

/** `filter={"Field":"CompanyName","Value":"cont","Operator":"starts_with"}`: starts_with only, case-insensitive (§2). */
function parseFilter(raw: string | null): CustomerFilter | undefined {
  if (!raw) {
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw errors.invalidInput('The filter parameter is not valid JSON.');
  }
  const parsed = filterSchema.safeParse(value);
  if (!parsed.success) {
    throw errors.invalidInput('The filter must have Field, Value and Operator.');
  }
  const field = parsed.data.field.toLowerCase();
  if (
    !['companyname', 'domain', 'indirectreseller', 'indirectcloudsolutionprovider'].includes(field)
  ) {
    throw errors.invalidInput(`Unsupported customer search field "${parsed.data.field}".`);
  }
  if (parsed.data.operator.toLowerCase() !== 'starts_with') {
    throw errors.invalidInput('Customer search supports only the starts_with operator.');
  }
  return { field: field as CustomerFilter['field'], value: parsed.data.value.toLowerCase() };
}

function matches(
  rt: EmulatorRuntime,
  tenantId: string,
  c: CustomerRecord,
  f: CustomerFilter | undefined,
): boolean {
  if (!f) {
    return true;
  }
  switch (f.field) {
    case 'companyname':
      return c.companyName.toLowerCase().startsWith(f.value);
    case 'domain':
      return c.domain.toLowerCase().startsWith(f.value);
    case 'indirectreseller': {
      const reseller = rt.store.partners.get(f.value) ?? rt.store.partnersByMpn.get(f.value);
      return (
        !!reseller &&
        rt.store.subscriptionsOf(tenantId, c.tenantId).some((s) => s.partnerId === reseller.mpnId)
      );
    }
    case 'indirectcloudsolutionprovider': {
      const rel = rt.store.relationship(tenantId, c.tenantId);
      return rel?.indirectProviderTenantId?.toLowerCase() === f.value;
    }
  }
}

const sortKey = (c: CustomerRecord): string => `${c.companyName.toLowerCase()}\u0000${c.tenantId}`;

function listCustomers(req: PcRequest): Response {
  const { rt, tenant } = req;
  const size = pageSize(
    req.query('size'),
    rt.options.paging.customersDefault,
    rt.options.paging.customersMax,
  );
  const rawFilter = req.query('filter');
  const filter = parseFilter(rawFilter);
  const fingerprint = `${tenant.tenantId}|${filter ? `${filter.field}=${filter.value}` : ''}`;
  const token = req.header('MS-ContinuationToken');
  const seek = req.query('seekOperation');
  if (seek && seek.toLowerCase() === 'next' && !token) {
    throw errors.invalidInput('seekOperation=Next requires the MS-ContinuationToken header.');
  }
  const afterKey = token ? decodeToken(token, fingerprint) : undefined;
  const ids = rt.store.customersByPartner.get(tenant.tenantId) ?? new Set<string>();
  const rows: { c: CustomerRecord; r: RelationshipRecord }[] = [];
  for (const id of ids) {
    const c = rt.store.customers.get(id);
    const r = rt.store.relationship(tenant.tenantId, id);
    if (c && r && matches(rt, tenant.tenantId, c, filter)) {
      rows.push({ c, r });
    }
  }
  rows.sort((a, b) => (sortKey(a.c) < sortKey(b.c) ? -1 : 1));
  const page = seekPage(rows, (row) => sortKey(row.c), size, afterKey, fingerprint);
  const query = `size=${size}${rawFilter ? `&filter=${encodeURIComponent(rawFilter)}` : ''}`;
  return json(
    collection(
      page.items.map((row) => customerListItemView(row.c, row.r)),
      {
        selfUri: `/customers?${query}`,
        next: page.nextToken
          ? link(`/customers?${query}&seekOperation=Next`, 'GET', [
              { key: 'MS-ContinuationToken', value: page.nextToken },
            ])
          : undefined,
        continuationToken: page.nextToken,
      },
    ),
  );
}

/** The reseller invitation URL carries the partner tenant id (§3; R-CON-2). */
function relationshipRequest(req: PcRequest): Response {
  onInvitationRequested(req.rt, req.tenant);
  const url = `https://admin.microsoft.com/Adminportal/Home?invType=ResellerRelationship&partnerId=${req.tenant.tenantId}&msppId=0&DAP=true#/BillingAccounts/partner-invitation`;
  return json({ url, attributes: { objectType: 'RelationshipRequest' } });
}

const patchCustomerSchema = ciObject({
  relationshipToPartner: ciEnum([
    'none',
    'reseller',
    'advisor',
    'syndication',
    'microsoft_support',
  ]).optional(),
  allowDelegatedAccess: z.boolean().optional(),
});

/**
 * DAP removal (§11, DAP retirement): `PATCH /customers/{id}` with `allowDelegatedAccess: false`
 * keeps the reseller relationship and drops delegated admin. Granting DAP is the customer's act
 * (the invitation), so `true` is refused.
 */
function removeDap(
  req: PcRequest,
  customer: CustomerRecord,
  relationship: RelationshipRecord,
): Response {
  if (relationship.allowDelegatedAccess) {
    relationship.allowDelegatedAccess = false;
    writeAudit(req.rt, {
      actor: req.actor,
      customer,
      resourceType: 'partner_customer_dap',
      operationType: 'dap_admin_relationship_terminated',
      oldValue: { allowDelegatedAccess: true },
      newValue: { allowDelegatedAccess: false },
    });
  }
  return json(customerView(customer, relationship));
}

/** `PATCH /customers/{id}` with relationshipToPartner "none" removes the reseller relationship (§2). */
function patchCustomer(req: PcRequest): Response {
  const { rt, tenant } = req;
  const { customer, relationship } = readableCustomer(rt, tenant, req.params.customerId ?? '');
  const body = req.body(patchCustomerSchema);
  if (body.allowDelegatedAccess === true) {
    throw errors.invalidInput(
      'allowDelegatedAccess can only be set to false; the customer grants delegated admin by accepting an invitation.',
      ['allowDelegatedAccess'],
    );
  }
  if (body.allowDelegatedAccess === false && body.relationshipToPartner === undefined) {
    return removeDap(req, customer, relationship);
  }
  if (body.relationshipToPartner !== 'none') {
    throw errors.invalidInput(
      'Only relationshipToPartner "none" or allowDelegatedAccess false can be set with PATCH.',
    );
  }
  const active = rt.store
    .subscriptionsOf(tenant.tenantId, customer.tenantId)
    .filter((s) => s.status === 'active');
  if (active.length > 0) {
    throw new PcHttpError(
      400,
      800002,
      'The customer still has active subscriptions; suspend them before removing the relationship.',
    );
  }
  const old = relationship.relationshipToPartner;
  relationship.relationshipToPartner = 'none';
  relationship.allowDelegatedAccess = false;
  writeAudit(rt, {
    actor: req.actor,
    customer,
    resourceType: 'partner_customer_relationship',
    operationType: 'remove_partner_customer_relationship',
    oldValue: { relationshipToPartner: old },
    newValue: { relationshipToPartner: 'none' },
  });
  return json({
    id: customer.tenantId,
    commerceId: null,
    companyProfile: null,
    billingProfile: null,
    relationshipToPartner: 'none',
    allowDelegatedAccess: null,
    userCredentials: null,
    customDomains: null,
    associatedPartnerId: null,
    attributes: { objectType: 'Customer' },
  });
}

/** Indirect resellers associated with a customer (`GET /customers/{id}/relationships`, §2). */
function customerRelationships(req: PcRequest): Response {
  const { rt, tenant } = req;
  const { customer } = readableCustomer(rt, tenant, req.params.customerId ?? '');
  const items = [...(rt.store.partnersByCustomer.get(customer.tenantId) ?? [])]
    .map((pid) => ({
      p: rt.store.partners.get(pid),
      r: rt.store.relationship(pid, customer.tenantId),
    }))
    .filter((x) => x.p && x.r?.indirectProviderTenantId === tenant.tenantId)
    .map(({ p }) => ({
      id: p?.tenantId,
      name: p?.name,
      relationshipType: 'is_indirect_reseller_of',
      mpnId: p?.mpnId,
      location: p?.country,
      state: 'active',
      attributes: { objectType: 'PartnerRelationship' },
    }));
  return json(collection(items, { selfUri: `/customers/${customer.tenantId}/relationships` }));
}

/** `GET /relationships?relationship_type=IsIndirectResellerOf|IsIndirectCloudSolutionProviderOf` (§2). */
function partnerRelationships(req: PcRequest): Response {
  const { rt, tenant } = req;
  const type = (req.query('relationship_type') ?? '').toLowerCase();
  const all = [...rt.store.partners.values()];
  let related;
  if (type === 'isindirectresellerof' || type === 'is_indirect_reseller_of') {
    related = all.filter((p) => p.providerTenantIds.includes(tenant.tenantId));
  } else if (
    type === 'isindirectcloudsolutionproviderof' ||
    type === 'is_indirect_cloud_solution_provider_of'
  ) {
    related = all.filter((p) => tenant.providerTenantIds.includes(p.tenantId));
  } else {
    throw errors.invalidInput(
      'relationship_type must be IsIndirectResellerOf or IsIndirectCloudSolutionProviderOf.',
    );
  }
  const relationshipType = type.includes('reseller')
    ? 'is_indirect_reseller_of'
    : 'is_indirect_cloud_solution_provider_of';
  return json(
    collection(
      related.map((p) => ({
        id: p.tenantId,
        name: p.name,
        relationshipType,
        mpnId: p.mpnId,
        location: p.country,
        state: 'active',
        attributes: { objectType: 'PartnerRelationship' },
      })),
    ),
  );
}

export function customersHandlers(): PcRoute[] {
  return [
    { method: 'GET', pattern: '/v1/customers', family: 'customers', handle: listCustomers },
    {
      method: 'GET',
      pattern: '/v1/customers/relationshiprequests',
      family: 'customers',
      handle: relationshipRequest,
    },
    {
      method: 'GET',
      pattern: '/v1/relationships',
      family: 'customers',
      handle: partnerRelationships,
    },
    {
      method: 'GET',
      pattern: '/v1/customers/:customerId',
      family: 'customers',
      handle: (req) => {
        const { customer, relationship } = readableCustomer(
          req.rt,
          req.tenant,
          req.params.customerId ?? '',
        );
        return json(customerView(customer, relationship));
      },
    },
    {
      method: 'PATCH',
      pattern: '/v1/customers/:customerId',
      family: 'customers',
      handle: patchCustomer,
    },
    {
      method: 'GET',
      pattern: '/v1/customers/:customerId/profiles/company',
      family: 'customers',
      handle: (req) =>
        json(
          companyProfileView(
            readableCustomer(req.rt, req.tenant, req.params.customerId ?? '').customer,
          ),
        ),
    },
    {
      method: 'GET',
      pattern: '/v1/customers/:customerId/profiles/billing',
      family: 'customers',
      handle: (req) =>
        json(
          billingProfileView(
            readableCustomer(req.rt, req.tenant, req.params.customerId ?? '').customer,
          ),
        ),
    },
    {
      method: 'GET',
      pattern: '/v1/customers/:customerId/relationships',
      family: 'customers',
      handle: customerRelationships,
    },
  ];
}
