import { type PartnerCenterClientFactory } from '../partner-center/client-factory.js';
import { type Clock } from '../shared/clock.js';
import { CustomerService } from '../modules/customers/customer.service.js';
import { NodeRegistry } from '../modules/node/node-registry.js';
import { OrganizationRepository } from '../modules/organizations/organization.repository.js';
import { OrganizationService } from '../modules/organizations/organization.service.js';
import { SubscriptionService } from '../modules/subscriptions/subscription.service.js';
import { type Db } from '../db/client.js';
import { type AppModule } from './module.js';

/** Process-wide repositories (Drizzle only). */
export interface Repositories {
  organizations: OrganizationRepository;
}

/** Process-wide services; their methods take the request scope. Add new services here. */
export interface Services {
  organizations: OrganizationService;
  customers: CustomerService;
  subscriptions: SubscriptionService;
  nodes: NodeRegistry;
}

export function createRepositories(db: Db): Repositories {
  return { organizations: new OrganizationRepository(db) };
}

export function createServices(deps: {
  repositories: Repositories;
  pc: PartnerCenterClientFactory;
  clock: Clock;
  modules: readonly AppModule[];
}): Services {
  const organizations = new OrganizationService({
    repository: deps.repositories.organizations,
    clock: deps.clock,
  });
  const customers = new CustomerService({ organizations });
  const subscriptions = new SubscriptionService({ customers });
  const nodes = new NodeRegistry(deps.modules.flatMap((m) => m.nodes ?? []));
  return { organizations, customers, subscriptions, nodes };
}
