import { Args, ArgsType, Authorized, Ctx, Field, Int, Query, Resolver } from 'type-graphql';
import { type ApiContext } from '../api-context.js';
import { activityOperationValue } from '../../shared/activity-operations.js';
import { encodeId } from '../../shared/ids.js';
import { BadUserInputError } from '../../shared/errors.js';
import { type ActivitySource } from './activity-enums.type.js';
import { type ConnectionShape } from '../common/common.type.js';
import { workflowGlobalId } from '../workflows/workflow.mapper.js';
import { workflowRowId } from '../workflows/workflow.resolver.js';
import { customerFromSnapshot } from '../workflows/workflow.mapper.js';
import { type ActivityEntryRow } from './activity.service.js';
import { activityFilterProblem, type ActivityFilter } from './activity.service.js';
import { ActivityEntry, ActivityEntryConnection, ActivityLogFilter } from './activity.type.js';

@ArgsType()
class ActivityLogArgs {
  @Field(() => ActivityLogFilter, {
    nullable: true,
    description: 'Date range, customer search, workflow.',
  })
  filter?: ActivityLogFilter | null;

  @Field(() => Int, { nullable: true, description: 'Page size, 1–100 (default 50).' })
  first?: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Cursor after which the page starts (`endCursor`).',
  })
  after?: string | null;
}

/** The GraphQL filter as the service takes it (a workflow id of another kind or org matches nothing). */
export function toActivityFilter(filter: ActivityLogFilter | null | undefined): ActivityFilter {
  return {
    from: filter?.from ? filter.from.toISOString() : null,
    to: filter?.to ? filter.to.toISOString() : null,
    customerSearch: filter?.customerSearch ?? null,
    workflowId: filter?.workflowId ? (workflowRowId(filter.workflowId) ?? '-') : null,
  };
}

export function toActivityEntry(
  row: ActivityEntryRow,
  workflowKinds: Map<string, string>,
): ActivityEntry {
  const kind = row.workflowId ? workflowKinds.get(row.workflowId) : undefined;
  return Object.assign(new ActivityEntry(), {
    id: encodeId('ActivityEntry', String(row.id)),
    at: new Date(row.at),
    actor: row.actor,
    operation: row.operation,
    operationEnum: activityOperationValue(row.operation),
    customer:
      row.customerTenantId && row.partnerTenantId
        ? customerFromSnapshot({
            partnerTenantId: row.partnerTenantId,
            customerTenantId: row.customerTenantId,
            companyName: row.customerName ?? row.customerTenantId,
          })
        : null,
    workflowId: row.workflowId && kind ? workflowGlobalId({ id: row.workflowId, kind }) : null,
    subscriptionId: row.subscriptionId,
    details: row.details,
    source: row.source,
    sourceEnum: row.source as ActivitySource,
  });
}

@Resolver(() => ActivityEntry)
export class ActivityResolver {
  @Authorized()
  @Query(() => ActivityEntryConnection, {
    description:
      "The organization's activity log (R-CON-9): every change this API made and every Partner Center audit record read for its tenants.",
  })
  async activityLog(
    @Args(() => ActivityLogArgs) args: ActivityLogArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<ConnectionShape<ActivityEntry>> {
    const filter = toActivityFilter(args.filter);
    // A bad filter is refused before the audit records are read from Partner Center (issue 17).
    const problem = activityFilterProblem(filter, ['filter']);
    if (problem) {
      throw new BadUserInputError(problem.message, problem.field?.join('.'));
    }
    await ctx.services.activity.syncForActor(ctx);
    const page = await ctx.services.activity.list(ctx.actor, filter, args);
    const kinds = await ctx.services.activity.workflowKinds(
      page.edges.map((e) => e.node.workflowId),
    );
    return {
      ...page,
      edges: page.edges.map((e) => ({ cursor: e.cursor, node: toActivityEntry(e.node, kinds) })),
    };
  }
}
