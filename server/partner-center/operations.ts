import { type PartnerCenterClient } from './client.js';
import { pcAuditRecordCollectionSchema, type PcAuditRecord } from './contracts/audit-records.js';
import { pcOfferCollectionSchema, type PcOffer } from './contracts/offers.js';
import {
  pcOrderCollectionSchema,
  pcOrderSchema,
  type PcNewOrder,
  type PcOrder,
} from './contracts/orders.js';
import {
  pcPartnerRelationshipCollectionSchema,
  pcRelationshipRequestSchema,
  type PcPartnerRelationship,
} from './contracts/relationships.js';
import {
  pcServiceRequestCollectionSchema,
  pcServiceRequestSchema,
  pcSupportTopicCollectionSchema,
  type PcServiceRequest,
} from './contracts/service-requests.js';
import { pcSubscriptionSchema, type PcSubscription } from './contracts/subscriptions.js';

// Partner Center writes and the reads the workflows need, over the generic client. Each takes the
// client of the partner tenant that acts; writes take the step's deterministic MS-RequestId.

const enc = encodeURIComponent;

/**
 * `GET /v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf`: the indirect
 * providers the calling partner resells through; empty unless it is an indirect reseller.
 */
export async function listIndirectProviders(
  client: PartnerCenterClient,
): Promise<PcPartnerRelationship[]> {
  const response = await client.request({
    method: 'GET',
    path: '/relationships',
    query: { relationship_type: 'IsIndirectCloudSolutionProviderOf' },
    schema: pcPartnerRelationshipCollectionSchema,
  });
  return response.data.items;
}

/** `GET /v1/customers/relationshiprequests`: the partner's reseller invitation URL (R-CON-2, R-CHN-1). */
export async function getRelationshipRequestUrl(client: PartnerCenterClient): Promise<string> {
  const response = await client.request({
    method: 'GET',
    path: '/customers/relationshiprequests',
    schema: pcRelationshipRequestSchema,
  });
  return response.data.url;
}

/** `GET /v1/offers?country=`: every offer of the catalog for a country, all pages. */
export async function listOffers(client: PartnerCenterClient, country: string): Promise<PcOffer[]> {
  return client.listCollection('/offers', pcOfferCollectionSchema, {}, { country });
}

/** `POST /v1/customers/{cid}/orders` → 201 Order. */
export async function createOrder(
  client: PartnerCenterClient,
  customerTenantId: string,
  order: PcNewOrder,
  requestId: string,
): Promise<PcOrder> {
  const response = await client.request({
    method: 'POST',
    path: `/customers/${enc(customerTenantId)}/orders`,
    body: order,
    requestId,
    schema: pcOrderSchema,
  });
  return response.data;
}

/** `GET /v1/customers/{cid}/orders`. */
export async function listOrders(
  client: PartnerCenterClient,
  customerTenantId: string,
): Promise<PcOrder[]> {
  return client.listCollection(
    `/customers/${enc(customerTenantId)}/orders`,
    pcOrderCollectionSchema,
  );
}

/**
 * Sets a subscription's status with Partner Center's full-resource PATCH and `If-Match` (reference
 * §5). A stale etag (412/2055) is answered by re-reading once and trying again.
 */
export async function setSubscriptionStatus(
  client: PartnerCenterClient,
  customerTenantId: string,
  subscriptionId: string,
  status: 'suspended' | 'active',
  requestId: string,
  /** The subscription as just read (a shared list): saves the GET of the first attempt. */
  known?: PcSubscription,
  /** Set to true when this call's PATCH changed the status (not when it already was `status`). */
  outcome?: { changed: boolean },
): Promise<PcSubscription> {
  for (let attempt = 1; ; attempt++) {
    const current =
      attempt === 1 && known
        ? known
        : await client.getSubscription(customerTenantId, subscriptionId);
    if (current.status === status) {
      return current;
    }
    try {
      const response = await client.request({
        method: 'PATCH',
        path: `/customers/${enc(customerTenantId)}/subscriptions/${enc(subscriptionId)}`,
        body: { ...current, status },
        requestId,
        ...(current.attributes?.etag ? { ifMatch: current.attributes.etag } : {}),
        schema: pcSubscriptionSchema,
      });
      if (outcome) {
        outcome.changed = true;
      }
      return response.data;
    } catch (error) {
      const stale = (error as { status?: number }).status === 412;
      if (!stale || attempt >= 3) {
        throw error;
      }
    }
  }
}

/** `GET /v1/servicerequests/supporttopics`. */
export async function listSupportTopics(
  client: PartnerCenterClient,
): Promise<Array<{ id: string; name: string }>> {
  const items = await client.listCollection(
    '/servicerequests/supporttopics',
    pcSupportTopicCollectionSchema,
  );
  return items.map((t) => ({ id: String(t.id), name: t.name }));
}

export interface NewServiceRequest {
  title: string;
  description: string;
  severity: 'minimal' | 'moderate' | 'critical';
  supportTopicId: string;
  supportTopicName?: string;
  productName?: string;
  countryCode?: string;
}

/** `POST /v1/servicerequests/{locale}` → 201 ServiceRequest (partner level, reference §7). */
export async function createServiceRequest(
  client: PartnerCenterClient,
  request: NewServiceRequest,
  requestId: string,
  locale = 'en-US',
): Promise<PcServiceRequest> {
  const response = await client.request({
    method: 'POST',
    path: `/servicerequests/${enc(locale)}`,
    body: { ...request, attributes: { objectType: 'ServiceRequest' } },
    requestId,
    schema: pcServiceRequestSchema,
  });
  return response.data;
}

export async function getServiceRequest(
  client: PartnerCenterClient,
  id: string,
): Promise<PcServiceRequest> {
  const response = await client.request({
    method: 'GET',
    path: `/servicerequests/${enc(id)}`,
    schema: pcServiceRequestSchema,
  });
  return response.data;
}

export async function listServiceRequests(
  client: PartnerCenterClient,
): Promise<PcServiceRequest[]> {
  return client.listCollection('/servicerequests', pcServiceRequestCollectionSchema);
}

/** `GET /v1/auditrecords?startDate=&endDate=`, all pages (reference §8). */
export async function listAuditRecords(
  client: PartnerCenterClient,
  window: { startDate: string; endDate?: string },
): Promise<PcAuditRecord[]> {
  return client.listCollection(
    '/auditrecords',
    pcAuditRecordCollectionSchema,
    {},
    {
      startDate: window.startDate,
      ...(window.endDate ? { endDate: window.endDate } : {}),
    },
  );
}
