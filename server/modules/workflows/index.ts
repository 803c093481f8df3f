import { type AppModule } from '../../app/module.js';
import { CUSTOMER_READ_ROLES } from '../../shared/actor.js';
import { type ProcedureModule } from '../../procedures/procedure-module.js';
import { ActivityResolver } from '../activity-log/activity.resolver.js';
import { ActivityEntry } from '../activity-log/activity.type.js';
import { toActivityEntry } from '../activity-log/activity.resolver.js';
import { type ApiContext } from '../api-context.js';
import { ExportResolver } from '../exports/export.resolver.js';
import { registerWorkflowObject, toWorkflowObject } from './workflow.mapper.js';
import { WorkflowCommonResolver } from './workflow-common.resolver.js';
import { WorkflowResolver } from './workflow.resolver.js';

/**
 * Workflows (engine-backed procedures), the activity log and exports: the generic resolvers plus,
 * for every procedure, its resolvers, its GraphQL types and the node type of its workflows.
 */
export function createWorkflowsModule(procedures: readonly ProcedureModule[]): AppModule {
  for (const p of procedures) {
    registerWorkflowObject({
      kind: p.kind,
      typeName: p.graphql.typeName,
      create: p.graphql.create,
    });
  }
  return {
    name: 'workflows',
    resolvers: [
      WorkflowResolver,
      WorkflowCommonResolver,
      ...procedures.flatMap((p) => p.graphql.resolvers),
      ActivityResolver,
      ExportResolver,
    ],
    orphanedTypes: [...procedures.flatMap((p) => p.graphql.types), ActivityEntry],
    nodes: [
      // Every workflow type is fetched the same way: by row id, within the caller's organization
      // (or shared with it: an incoming transfer is readable by the new partner's organization).
      ...procedures.map((p) => ({
        typeName: p.graphql.typeName,
        arity: 1,
        // Workflows carry their customers' inventory: customer-data roles (issue 17).
        roles: CUSTOMER_READ_ROLES,
        async resolve(ctx: ApiContext, [id = '']: string[]) {
          const row = await ctx.services.workflows.getReadable(ctx.actor, id);
          return row && row.kind === p.kind ? toWorkflowObject(row) : null;
        },
      })),
      {
        typeName: 'ActivityEntry',
        arity: 1,
        async resolve(ctx: ApiContext, [id = '']: string[]) {
          const row = await ctx.services.activity.get(ctx.actor, Number(id));
          if (!row) {
            return null;
          }
          return toActivityEntry(row, await ctx.services.activity.workflowKinds([row.workflowId]));
        },
      },
    ],
  };
}
