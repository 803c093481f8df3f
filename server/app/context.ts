import { randomUUID } from 'node:crypto';
import { type PartnerCenterClientFactory } from '../partner-center/client-factory.js';
import { type Clock } from '../shared/clock.js';
import {
  type CustomerLoaders,
  createCustomerLoaders,
} from '../modules/customers/customer.loaders.js';
import {
  type OrganizationLoaders,
  createOrganizationLoaders,
} from '../modules/organizations/organization.loaders.js';
import {
  type SubscriptionLoaders,
  createSubscriptionLoaders,
} from '../modules/subscriptions/subscription.loaders.js';
import { type Actor, type AuthVerifier } from './auth.js';
import { type Logger } from './logger.js';
import { type AppPubSub } from './pubsub.js';
import { type Repositories, type Services } from './services.js';

/** Per-request DataLoaders, one set per request (never shared across callers). */
export interface Loaders {
  organizations: OrganizationLoaders;
  customers: CustomerLoaders;
  subscriptions: SubscriptionLoaders;
}

/** What services need from a request: who asks, and the request's loaders. */
export interface RequestScope {
  requestId: string;
  actor: Actor;
  loaders: Loaders;
}

/** The GraphQL context (`@Ctx()`), built per HTTP request or per WebSocket operation. */
export interface AppContext extends RequestScope {
  /** The caller's organization (from the token's `org` claim). */
  organization: { id: string };
  services: Services;
  logger: Logger;
  clock: Clock;
  pubSub: AppPubSub;
  /** Replaces the loaders with fresh ones (subscriptions call it before each event). */
  refreshLoaders(): void;
}

/** Everything the context factory needs (built once by the application). */
export interface ContextDeps {
  auth: AuthVerifier;
  repositories: Repositories;
  services: Services;
  pc: PartnerCenterClientFactory;
  logger: Logger;
  clock: Clock;
  pubSub: AppPubSub;
}

/** Loaders of one request; Partner Center reads are cached per tenant for `organizationId` only. */
export function createLoaders(
  deps: Pick<ContextDeps, 'repositories' | 'pc'>,
  organizationId: string,
): Loaders {
  return {
    organizations: createOrganizationLoaders(deps.repositories.organizations),
    customers: createCustomerLoaders(deps.pc, organizationId),
    subscriptions: createSubscriptionLoaders(deps.pc, organizationId),
  };
}

/** Builds the context for an authenticated actor (also used by tests and the workflow engine). */
export function createContextForActor(
  deps: ContextDeps,
  actor: Actor,
  requestId: string = randomUUID(),
): AppContext {
  const ctx: AppContext = {
    requestId,
    actor,
    organization: { id: actor.organizationId },
    loaders: createLoaders(deps, actor.organizationId),
    services: deps.services,
    logger: deps.logger.child({ requestId, org: actor.organizationId, user: actor.userId }),
    clock: deps.clock,
    pubSub: deps.pubSub,
    refreshLoaders() {
      ctx.loaders = createLoaders(deps, actor.organizationId);
    },
  };
  return ctx;
}

/**
 * Authenticates an `Authorization` header value and builds the context; a missing or bad token
 * throws `UNAUTHENTICATED` (HTTP 401).
 */
export async function createContextFromAuthorization(
  deps: ContextDeps,
  authorization: string | null | undefined,
  requestId: string = randomUUID(),
): Promise<AppContext> {
  const actor = await deps.auth.verifyHeader(authorization);
  return createContextForActor(deps, actor, requestId);
}
