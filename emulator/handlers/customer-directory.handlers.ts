import { readableCustomer } from '../domain/access.js';
import {
  createCustomer,
  createCustomerSchema,
  domainTaken,
  initialDomain,
  subscribedSkus,
  usersOf,
} from '../domain/customer-directory.service.js';
import { customerView } from '../domain/views.js';
import { decodeToken, pageSize, seekPage } from '../http/paging.js';
import { collection, errors, json, link } from '../http/responses.js';
import type { PcRequest, PcRoute } from '../http/router.js';

/** `POST /v1/customers` → 201 Customer with `userCredentials` (§2). */
function create(req: PcRequest): Response {
  const body = req.body(createCustomerSchema);
  const { customer, password } = createCustomer(req.rt, req.actor, req.tenant, body);
  const relationship = req.rt.store.relationship(req.tenant.tenantId, customer.tenantId);
  if (!relationship) {
    throw errors.notFound(`Customer ${customer.tenantId}`);
  }
  return json(
    {
      ...customerView(customer, relationship),
      userCredentials: { userName: 'admin', password },
    },
    201,
    { Location: `/v1/customers/${customer.tenantId}` },
  );
}

/** `HEAD /v1/domains/{domain}`: 200 when the initial domain is taken, 404 when it is free (§2). */
function domainCheck(req: PcRequest): Response {
  const domain = initialDomain(req.params.domain ?? '');
  return new Response(null, { status: domainTaken(req.rt, domain) ? 200 : 404 });
}

function users(req: PcRequest): Response {
  const { rt } = req;
  const { customer } = readableCustomer(rt, req.tenant, req.params.customerId ?? '');
  const size = pageSize(
    req.query('size'),
    rt.options.paging.customersDefault,
    rt.options.paging.customersMax,
  );
  const fingerprint = `users|${customer.tenantId}`;
  const token = req.header('MS-ContinuationToken');
  const all = [...usersOf(rt, customer)].sort((a, b) => (a.id < b.id ? -1 : 1));
  const page = seekPage(
    all,
    (u) => u.id,
    size,
    token ? decodeToken(token, fingerprint) : undefined,
    fingerprint,
  );
  const base = `/customers/${customer.tenantId}/users?size=${size}`;
  return json(
    collection(
      page.items.map((u) => ({
        id: u.id,
        userPrincipalName: u.userPrincipalName,
        firstName: u.firstName,
        lastName: u.lastName,
        displayName: u.displayName,
        usageLocation: u.usageLocation,
        lastDirectorySyncTime: null,
        softDeletionTime: null,
        state: 'active',
        userDomainType: 'none',
        links: { self: link(`/customers/${customer.tenantId}/users/${u.id}`) },
        attributes: { objectType: 'CustomerUser' },
      })),
      {
        selfUri: base,
        next: page.nextToken
          ? link(`${base}&seekOperation=Next`, 'GET', [
              { key: 'MS-ContinuationToken', value: page.nextToken },
            ])
          : undefined,
        continuationToken: page.nextToken,
      },
    ),
  );
}

function skus(req: PcRequest): Response {
  const { customer } = readableCustomer(req.rt, req.tenant, req.params.customerId ?? '');
  const groups = req.query('licenseGroupIds');
  // Every emulated SKU is in license group Group1 (the group of Entra ID licences).
  const inGroup = !groups || groups.split(',').some((g) => g.trim().toLowerCase() === 'group1');
  const items = inGroup ? subscribedSkus(req.rt, customer) : [];
  return json(collection(items, { selfUri: `/customers/${customer.tenantId}/subscribedskus` }));
}

/** Offer categories for the customer's country (or `?country=`), like `/v1/offercategories` (§6). */
function offerCategories(req: PcRequest): Response {
  const { customer } = readableCustomer(req.rt, req.tenant, req.params.customerId ?? '');
  const country = (req.query('country') ?? customer.country).toUpperCase();
  const cats = [
    ...new Set(
      req.rt.catalog
        .forCountry(country)
        .filter((o) => o.kind === 'license' || o.kind === 'azure_legacy')
        .map((o) => o.categoryId),
    ),
  ];
  return json(
    collection(
      cats.map((id, rank) => ({
        id,
        name: id,
        rank,
        locale: 'en-US',
        country,
        attributes: { objectType: 'OfferCategory' },
      })),
      { selfUri: `/customers/${customer.tenantId}/offercategories` },
    ),
  );
}

export function customerDirectoryHandlers(): PcRoute[] {
  const c = { family: 'customers' as const, customerParam: 'customerId' };
  return [
    { method: 'POST', pattern: '/v1/customers', family: 'customers', handle: create },
    { method: 'HEAD', pattern: '/v1/domains/:domain', family: 'customers', handle: domainCheck },
    { method: 'GET', pattern: '/v1/customers/:customerId/users', ...c, handle: users },
    { method: 'GET', pattern: '/v1/customers/:customerId/subscribedskus', ...c, handle: skus },
    {
      method: 'GET',
      pattern: '/v1/customers/:customerId/offercategories',
      family: 'offers',
      customerParam: 'customerId',
      handle: offerCategories,
    },
  ];
}
