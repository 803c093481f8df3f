import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { type ApiContext } from '../api-context.js';
import { CUSTOMER_READ_ROLES } from '../../shared/actor.js';
import { type Result } from '../../shared/result.js';
import { toActivityFilter } from '../activity-log/activity.resolver.js';
import { activityFilterProblem } from '../activity-log/activity.service.js';
import { BasicUserError } from '../common/common.type.js';
import { type ExportResult } from './export.service.js';
import {
  Export,
  ExportActivityLogInput,
  ExportCustomersInput,
  ExportPayload,
  ExportSubscriptionsInput,
} from './export.type.js';

/** An export result as a payload: the file, or why it could not be made. */
export function toExportPayload(result: Result<ExportResult>): ExportPayload {
  return result.ok
    ? { export: Object.assign(new Export(), result.value), userErrors: [] }
    : { export: null, userErrors: [BasicUserError.from(result.error)] };
}

@Resolver()
export class ExportResolver {
  @Authorized(...CUSTOMER_READ_ROLES)
  @Mutation(() => ExportPayload, {
    description: "Exports a partner tenant's customers and subscriptions (R-CON-1).",
  })
  async exportSubscriptions(
    @Arg('input', () => ExportSubscriptionsInput) input: ExportSubscriptionsInput,
    @Ctx() ctx: ApiContext,
  ): Promise<ExportPayload> {
    return toExportPayload(await ctx.services.exports.exportSubscriptions(ctx, input));
  }

  @Authorized(...CUSTOMER_READ_ROLES)
  @Mutation(() => ExportPayload, {
    description:
      'Exports every customer of a partner tenant with its subscription counts, including customers without subscriptions (R-CON-9). Columns: Customer, Customer tenant id, Domain, Country, Relationship, Partner tenant, Microsoft Customer Agreement signed, Subscriptions, Active, Suspended, Deleted, Active license seats.',
  })
  async exportCustomers(
    @Arg('input', () => ExportCustomersInput) input: ExportCustomersInput,
    @Ctx() ctx: ApiContext,
  ): Promise<ExportPayload> {
    return toExportPayload(await ctx.services.exports.exportCustomers(ctx, input));
  }

  @Authorized()
  @Mutation(() => ExportPayload, { description: 'Exports the activity log, filtered (R-CON-9).' })
  async exportActivityLog(
    @Arg('input', () => ExportActivityLogInput) input: ExportActivityLogInput,
    @Ctx() ctx: ApiContext,
  ): Promise<ExportPayload> {
    const filter = toActivityFilter(input.filter);
    // A bad filter is refused before the audit records are read from Partner Center (issue 17).
    const problem = activityFilterProblem(filter, ['input', 'filter']);
    if (problem) {
      return toExportPayload({ ok: false, error: problem });
    }
    await ctx.services.activity.syncForActor(ctx);
    return toExportPayload(
      await ctx.services.exports.exportActivityLog(ctx, { filter, format: input.format }),
    );
  }
}
