import { type EngineLogger } from '../workflows/engine/engine-logger.js';
import { type PartnerCenterClientFactory } from '../partner-center/client-factory.js';
import { type CoreServices } from '../modules/api-context.js';
import { CustomerService } from '../modules/customers/customer.service.js';
import { NodeRegistry } from '../modules/node/node-registry.js';
import { OrganizationRepository } from '../modules/organizations/organization.repository.js';
import { OrganizationService } from '../modules/organizations/organization.service.js';
import { SubscriptionService } from '../modules/subscriptions/subscription.service.js';
import { type Db } from '../db/client.js';
import { ActivityService } from '../modules/activity-log/activity.service.js';
import { ExportService } from '../modules/exports/export.service.js';
import { GdapService } from '../modules/gdap/gdap.service.js';
import {
  type ProcedureDeps,
  type ProcedureModule,
  type WorkflowGuard,
} from '../procedures/procedure-module.js';
import {
  CustomerInvitationService,
  type CustomerInvitationServices,
} from '../procedures/shared/customer-invitations.service.js';
import { DEFAULT_INVITATION_POLICY } from '../procedures/shared/invitation-follow-up.js';
import { type WorkflowKind } from '../workflows/engine/engine.types.js';
import { silentNotifier, type WorkflowNotifier } from '../workflows/engine/workflow-notifier.js';
import { type WorkflowDefinition } from '../workflows/engine/workflow-runner.js';
import { WorkflowQueryService } from '../workflows/workflow-query.service.js';
import { WorkflowService } from '../workflows/workflow.service.js';
import { type AppModule } from './module.js';
import { procedureModules, type ProcedureServices } from './procedures.js';

/** Process-wide repositories (Drizzle only). */
export interface Repositories {
  organizations: OrganizationRepository;
}

/** Process-wide services; their methods take the request scope. Procedures add theirs. */
export type Services = CoreServices & ProcedureServices & CustomerInvitationServices;

export function createRepositories(db: Db): Repositories {
  return { organizations: new OrganizationRepository(db) };
}

/** The engine's definition of every procedure (`app/procedures.ts`). */
export function workflowDefinitions(
  deps: ProcedureDeps,
  procedures: readonly ProcedureModule[] = procedureModules,
): WorkflowDefinition[] {
  return procedures.map((p) => p.definition(deps));
}

function byKind<T>(
  procedures: readonly ProcedureModule[],
  pick: (p: ProcedureModule) => T | undefined,
): Partial<Record<WorkflowKind, T>> {
  const out: Partial<Record<WorkflowKind, T>> = {};
  for (const p of procedures) {
    const value = pick(p);
    if (value !== undefined) {
      out[p.kind] = value;
    }
  }
  return out;
}

export function createServices(
  deps: ProcedureDeps & {
    repositories: Repositories;
    modules: readonly AppModule[];
    /** Wakes the workflow runner. */
    kick?: () => void;
    /** Publishes a workflow change to `workflowUpdated` subscribers. */
    notifier?: WorkflowNotifier;
    onAuditSyncError?: (error: unknown) => void;
    /** Operator logs of the workflow lifecycle (a start at info). */
    engineLogger?: EngineLogger;
  },
): Services {
  const { db, clock } = deps;
  const pc: PartnerCenterClientFactory = deps.clients;
  const organizations = new OrganizationService({
    repository: deps.repositories.organizations,
    clock,
  });
  const customers = new CustomerService({ organizations });
  const subscriptions = new SubscriptionService({ customers });
  const nodes = new NodeRegistry(deps.modules.flatMap((m) => m.nodes ?? []));
  const procedures: readonly ProcedureModule[] = procedureModules;
  const workflows = new WorkflowService({
    db,
    clock,
    ...(deps.kick ? { kick: deps.kick } : {}),
    ...(deps.notifier ? { notifier: deps.notifier } : {}),
    ...(deps.engineLogger ? { logger: deps.engineLogger } : {}),
    startGuards: byKind<WorkflowGuard>(procedures, (p) => p.guards?.start?.(deps)),
    cancelGuards: byKind<WorkflowGuard>(procedures, (p) => p.guards?.cancel?.(deps)),
    viewerRoles: byKind(procedures, (p) => p.viewerRoles),
  });
  const activity = new ActivityService({
    db,
    clients: pc,
    clock,
    organizations,
    ...(deps.onAuditSyncError ? { onSyncError: deps.onAuditSyncError } : {}),
  });
  const core: CoreServices = {
    organizations,
    customers,
    subscriptions,
    nodes,
    workflows,
    workflowQueries: new WorkflowQueryService({ db }),
    activity,
    exports: new ExportService({
      db,
      clock,
      organizations,
      customers,
      subscriptions,
      activity,
      publicUrl: deps.publicUrl,
    }),
    gdap: new GdapService({ db, graph: deps.graph, organizations, clock }),
  };
  const serviceDeps = {
    ...deps,
    organizations,
    workflows,
    notifier: deps.notifier ?? silentNotifier,
    kick: deps.kick ?? (() => {}),
  };
  // Reinvite and exclude, for every procedure that invites customers (ProcedureModule.invitations).
  const customerInvitations = new CustomerInvitationService({
    db,
    clock,
    clients: pc,
    specs: byKind(procedures, (p) => ('invitations' in p ? p.invitations : undefined)),
    policy: { ...DEFAULT_INVITATION_POLICY, ...deps.invitations },
    notifier: serviceDeps.notifier,
    kick: serviceDeps.kick,
  });
  return Object.assign(
    core,
    { customerInvitations },
    ...procedures.map((p) => p.services(serviceDeps)),
  ) as Services;
}
