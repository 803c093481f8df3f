import { type PartnerCenterClientFactory } from '../partner-center/client-factory.js';
import { type CustomerLoaders, createCustomerLoaders } from './customers/customer.loaders.js';
import { type OrganizationRepository } from './organizations/organization.repository.js';
import {
  type OrganizationLoaders,
  createOrganizationLoaders,
} from './organizations/organization.loaders.js';
import {
  type SubscriptionLoaders,
  createSubscriptionLoaders,
} from './subscriptions/subscription.loaders.js';

/** Per-request DataLoaders, one set per request (never shared across callers). */
export interface Loaders {
  organizations: OrganizationLoaders;
  customers: CustomerLoaders;
  subscriptions: SubscriptionLoaders;
}

/** Loaders of one request; Partner Center reads are cached per tenant for `organizationId` only. */
export function createLoaders(
  deps: { repositories: { organizations: OrganizationRepository }; pc: PartnerCenterClientFactory },
  organizationId: string,
): Loaders {
  return {
    organizations: createOrganizationLoaders(deps.repositories.organizations),
    customers: createCustomerLoaders(deps.pc, organizationId),
    subscriptions: createSubscriptionLoaders(deps.pc, organizationId),
  };
}
