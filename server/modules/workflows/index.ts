import { type AppModule } from '../../app/module.js';
import { ActivityResolver } from '../activity-log/activity.resolver.js';
import { ActivityEntry } from '../activity-log/activity.type.js';
import { toActivityEntry } from '../activity-log/activity.resolver.js';
import { ExportResolver } from '../exports/export.resolver.js';
import { TenantConsolidationResolver } from './consolidation.resolver.js';
import { SubscriptionTransferResolver } from './transfer.resolver.js';
import { SubscriptionTransfer } from './transfer.type.js';
import { AzurePlanTransitionResolver } from './azure-plan.resolver.js';
import { AzurePlanTransition } from './azure-plan.type.js';
import { AzureReconciliationResolver } from './azure-reconciliation.resolver.js';
import { ChannelMoveResolver } from './channel-move.resolver.js';
import { ChannelMove } from './channel-move.type.js';
import { type AppContext } from '../../app/context.js';
import { WORKFLOW_OBJECTS, toWorkflowObject } from './workflow.mapper.js';
import { WorkflowCommonResolver } from './workflow-common.resolver.js';
import { WorkflowResolver } from './workflow.resolver.js';
import { TenantConsolidation } from './workflow-objects.type.js';

/** Workflows (engine-backed procedures), the activity log and exports. */
export const workflowsModule: AppModule = {
  name: 'workflows',
  resolvers: [
    WorkflowResolver,
    WorkflowCommonResolver,
    TenantConsolidationResolver,
    SubscriptionTransferResolver,
    AzurePlanTransitionResolver,
    AzureReconciliationResolver,
    ChannelMoveResolver,
    ActivityResolver,
    ExportResolver,
  ],
  orphanedTypes: [
    TenantConsolidation,
    SubscriptionTransfer,
    AzurePlanTransition,
    ChannelMove,
    ActivityEntry,
  ],
  nodes: [
    // Every workflow type is fetched the same way: by row id, within the caller's organization
    // (or shared with it: an incoming transfer is readable by the new partner's organization).
    ...Object.entries(WORKFLOW_OBJECTS).map(([kind, { typeName }]) => ({
      typeName,
      arity: 1,
      async resolve(ctx: AppContext, [id = '']: string[]) {
        const row = await ctx.services.workflows.getReadable(ctx.actor, id);
        return row && row.kind === kind ? toWorkflowObject(row) : null;
      },
    })),
    {
      typeName: 'ActivityEntry',
      arity: 1,
      async resolve(ctx, [id = '']) {
        const row = await ctx.services.activity.get(ctx.actor, Number(id));
        if (!row) {
          return null;
        }
        return toActivityEntry(row, await ctx.services.activity.workflowKinds([row.workflowId]));
      },
    },
  ],
};
