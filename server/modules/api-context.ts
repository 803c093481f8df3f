import { type Logger } from 'pino';
import { type Clock } from '../shared/clock.js';
import { type AppPubSub } from '../shared/pubsub.js';
import { type RequestScope } from '../shared/request-scope.js';
import { type WorkflowQueryService } from '../workflows/workflow-query.service.js';
import { type WorkflowService } from '../workflows/workflow.service.js';
import { type ActivityService } from './activity-log/activity.service.js';
import { type CustomerService } from './customers/customer.service.js';
import { type ExportService } from './exports/export.service.js';
import { type GdapService } from './gdap/gdap.service.js';
import { type OrganizationService } from './organizations/organization.service.js';
import { type SubscriptionService } from './subscriptions/subscription.service.js';

/** `node(id)` resolution (implemented by `NodeRegistry`). */
export interface NodeResolution {
  resolve(ctx: ApiContext, id: string): Promise<object | null>;
  typeNames(): string[];
}

/** The services every module and procedure may use; procedures add their own (`ProcedureModule`). */
export interface CoreServices {
  organizations: OrganizationService;
  customers: CustomerService;
  subscriptions: SubscriptionService;
  nodes: NodeResolution;
  workflows: WorkflowService;
  workflowQueries: WorkflowQueryService;
  activity: ActivityService;
  exports: ExportService;
  /** GDAP role template and relationship reads (issue 15 item 2). */
  gdap: GdapService;
}

/**
 * The GraphQL context (`@Ctx()`), built per HTTP request or per WebSocket operation. `S` names the
 * procedure services a resolver uses; the application's context (`AppContext`) has all of them.
 */
export interface ApiContext<S extends object = object> extends RequestScope {
  /** The caller's organization (from the token's `org` claim). */
  organization: { id: string };
  services: CoreServices & S;
  logger: Logger;
  clock: Clock;
  pubSub: AppPubSub;
  /** Replaces the loaders with fresh ones (subscriptions call it before each event). */
  refreshLoaders(): void;
}
