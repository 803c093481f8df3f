import { randomUUID } from 'node:crypto';
import { type PartnerCenterClientFactory } from '../partner-center/client-factory.js';
import { type Clock } from '../shared/clock.js';
import { type ApiContext } from '../modules/api-context.js';
import { createLoaders } from '../modules/loaders.js';
import { type Actor, type AuthVerifier } from '../shared/actor.js';
import { type Logger } from './logger.js';
import { type AppPubSub } from './pubsub.js';
import { type Repositories, type Services } from './services.js';

export { type Loaders, createLoaders } from '../modules/loaders.js';
export { type RequestScope } from '../shared/request-scope.js';

/** The GraphQL context (`@Ctx()`), built per HTTP request or per WebSocket operation. */
export type AppContext = ApiContext<Services>;

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
