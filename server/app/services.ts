import { randomBytes } from 'node:crypto';
import { type PartnerCenterClientFactory } from '../partner-center/client-factory.js';
import { type Clock } from '../shared/clock.js';
import { CustomerService } from '../modules/customers/customer.service.js';
import { NodeRegistry } from '../modules/node/node-registry.js';
import { OrganizationRepository } from '../modules/organizations/organization.repository.js';
import { OrganizationService } from '../modules/organizations/organization.service.js';
import { SubscriptionService } from '../modules/subscriptions/subscription.service.js';
import { type Db } from '../db/client.js';
import { ActivityService } from '../modules/activity-log/activity.service.js';
import { ExportService } from '../modules/exports/export.service.js';
import { ConsolidationViewService } from '../workflows/consolidation/consolidation-view.service.js';
import {
  ConsolidationService,
  consolidationStartGuard,
} from '../workflows/consolidation/consolidation.service.js';
import { ChannelMoveExportService } from '../workflows/channel-move/channel-move-export.service.js';
import { ChannelMoveViewService } from '../workflows/channel-move/channel-move-view.service.js';
import {
  ChannelMoveService,
  channelMoveStartGuard,
} from '../workflows/channel-move/channel-move.service.js';
import { AzurePlanViewService } from '../workflows/azure-plan/azure-plan-view.service.js';
import { AzureReconciliationService } from '../workflows/azure-plan/azure-reconciliation.service.js';
import {
  AzurePlanService,
  azurePlanStartGuard,
} from '../workflows/azure-plan/azure-plan.service.js';
import {
  TransferService,
  transferCancelGuard,
  transferStartGuard,
} from '../workflows/transfer/transfer.service.js';
import { WorkflowQueryService } from '../workflows/workflow-query.service.js';
import { WorkflowService } from '../workflows/workflow.service.js';
import { type WorkflowRow } from '../workflows/engine/engine.types.js';
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
  workflows: WorkflowService;
  workflowQueries: WorkflowQueryService;
  consolidations: ConsolidationService;
  consolidationViews: ConsolidationViewService;
  transfers: TransferService;
  azurePlans: AzurePlanService;
  azurePlanViews: AzurePlanViewService;
  azureReconciliation: AzureReconciliationService;
  channelMoves: ChannelMoveService;
  channelMoveViews: ChannelMoveViewService;
  channelMoveExports: ChannelMoveExportService;
  activity: ActivityService;
  exports: ExportService;
}

export function createRepositories(db: Db): Repositories {
  return { organizations: new OrganizationRepository(db) };
}

export function createServices(deps: {
  repositories: Repositories;
  pc: PartnerCenterClientFactory;
  clock: Clock;
  modules: readonly AppModule[];
  db: Db;
  /** Absolute base URL of the API (export download links). */
  publicUrl: string;
  /** Wakes the workflow runner. */
  kick?: () => void;
  /** Publishes a workflow change to `workflowUpdated` subscribers. */
  publish?: (workflow: WorkflowRow) => void;
  onAuditSyncError?: (error: unknown) => void;
  /** Key material of the transfer form's signing links, and their lifetime. */
  transfer?: { signingSecret?: string | Uint8Array; signingLinkTtlMs?: number };
}): Services {
  const organizations = new OrganizationService({
    repository: deps.repositories.organizations,
    clock: deps.clock,
  });
  const customers = new CustomerService({ organizations });
  const subscriptions = new SubscriptionService({ customers });
  const nodes = new NodeRegistry(deps.modules.flatMap((m) => m.nodes ?? []));
  const { db, clock, pc } = deps;
  const workflows = new WorkflowService({
    db,
    clock,
    ...(deps.kick ? { kick: deps.kick } : {}),
    ...(deps.publish ? { publish: deps.publish } : {}),
    startGuards: {
      TENANT_CONSOLIDATION: consolidationStartGuard(db),
      SUBSCRIPTION_TRANSFER: transferStartGuard(db),
      AZURE_PLAN_TRANSITION: azurePlanStartGuard(db),
      CHANNEL_MOVE: channelMoveStartGuard(db),
    },
    cancelGuards: { SUBSCRIPTION_TRANSFER: transferCancelGuard(db, pc, clock) },
  });
  const activity = new ActivityService({
    db,
    clients: pc,
    clock,
    organizations,
    ...(deps.onAuditSyncError ? { onSyncError: deps.onAuditSyncError } : {}),
  });
  return {
    organizations,
    customers,
    subscriptions,
    nodes,
    workflows,
    workflowQueries: new WorkflowQueryService({ db }),
    consolidations: new ConsolidationService({ db, organizations, workflows, clients: pc }),
    consolidationViews: new ConsolidationViewService({ db, clock }),
    transfers: new TransferService({
      db,
      clock,
      organizations,
      workflows,
      clients: pc,
      publicUrl: deps.publicUrl,
      // Without a configured key, links last as long as the process (they cannot be shown again).
      signingSecret: deps.transfer?.signingSecret ?? randomBytes(32),
      ...(deps.transfer?.signingLinkTtlMs
        ? { signingLinkTtlMs: deps.transfer.signingLinkTtlMs }
        : {}),
      ...(deps.kick ? { kick: deps.kick } : {}),
      ...(deps.publish ? { publish: deps.publish } : {}),
    }),
    azurePlans: new AzurePlanService({ db, clock, organizations, workflows, clients: pc }),
    azurePlanViews: new AzurePlanViewService({ db }),
    azureReconciliation: new AzureReconciliationService({
      db,
      clock,
      organizations,
      clients: pc,
      publicUrl: deps.publicUrl,
    }),
    channelMoves: new ChannelMoveService({ db, clock, organizations, workflows, clients: pc }),
    channelMoveViews: new ChannelMoveViewService({ db }),
    channelMoveExports: new ChannelMoveExportService({
      db,
      clock,
      views: new ChannelMoveViewService({ db }),
      publicUrl: deps.publicUrl,
    }),
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
  };
}
