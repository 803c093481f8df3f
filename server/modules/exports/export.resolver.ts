import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { type AppContext } from '../../app/context.js';
import { type Result } from '../../shared/result.js';
import { toActivityFilter } from '../activity-log/activity.resolver.js';
import { BasicUserError } from '../common/common.type.js';
import { workflowRowId } from '../workflows/workflow.resolver.js';
import { type ExportResult } from './export.service.js';
import {
  Export,
  ExportActivityLogInput,
  ExportConsolidationInventoryInput,
  ExportPayload,
  ExportSubscriptionsInput,
} from './export.type.js';

function toPayload(result: Result<ExportResult>): ExportPayload {
  return result.ok
    ? { export: Object.assign(new Export(), result.value), userErrors: [] }
    : { export: null, userErrors: [BasicUserError.from(result.error)] };
}

@Resolver()
export class ExportResolver {
  @Authorized()
  @Mutation(() => ExportPayload, {
    description: "Exports a partner tenant's customers and subscriptions (R-CON-1).",
  })
  async exportSubscriptions(
    @Arg('input', () => ExportSubscriptionsInput) input: ExportSubscriptionsInput,
    @Ctx() ctx: AppContext,
  ): Promise<ExportPayload> {
    return toPayload(await ctx.services.exports.exportSubscriptions(ctx, input));
  }

  @Authorized()
  @Mutation(() => ExportPayload, { description: 'Exports the activity log, filtered (R-CON-9).' })
  async exportActivityLog(
    @Arg('input', () => ExportActivityLogInput) input: ExportActivityLogInput,
    @Ctx() ctx: AppContext,
  ): Promise<ExportPayload> {
    await ctx.services.activity.syncForActor(ctx);
    return toPayload(
      await ctx.services.exports.exportActivityLog(ctx, {
        filter: toActivityFilter(input.filter),
        format: input.format,
      }),
    );
  }

  @Authorized()
  @Mutation(() => ExportPayload, {
    description: "Exports a tenant consolidation's inventory and plan (R-CON-1).",
  })
  async exportConsolidationInventory(
    @Arg('input', () => ExportConsolidationInventoryInput) input: ExportConsolidationInventoryInput,
    @Ctx() ctx: AppContext,
  ): Promise<ExportPayload> {
    const id = workflowRowId(input.workflowId);
    if (!id) {
      return toPayload({
        ok: false,
        error: {
          code: 'NOT_FOUND',
          message: 'No consolidation has this id.',
          field: ['input', 'workflowId'],
        },
      });
    }
    return toPayload(
      await ctx.services.exports.exportConsolidationInventory(ctx, {
        workflowRowId: id,
        format: input.format,
      }),
    );
  }
}
