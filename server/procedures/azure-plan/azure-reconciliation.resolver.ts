import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { CUSTOMER_READ_ROLES } from '../../shared/actor.js';
import { type ApiContext } from '../../modules/api-context.js';
import { type AzurePlanServices } from './azure-plan.service.js';
import { BasicUserError } from '../../modules/common/common.type.js';
import { Export, ExportPayload } from '../../modules/exports/export.type.js';
import {
  AzureReconciliation,
  AzureReconciliationEntry,
  AzureStatusChange,
  ExportAzureReconciliationInput,
} from './azure-reconciliation.type.js';
import { customerFromSnapshot } from '../../modules/workflows/workflow.mapper.js';

type Context = ApiContext<AzurePlanServices>;

@Resolver()
export class AzureReconciliationResolver {
  @Authorized(...CUSTOMER_READ_ROLES)
  @Query(() => AzureReconciliation, {
    nullable: true,
    description:
      "A customer's legacy Azure (0145P) subscriptions with commerce id, entitlement id, reseller, status history and plan (R-AZP-8); null for a customer that is not yours.",
  })
  async azureReconciliation(
    @Arg('customerId', () => ID) customerId: string,
    @Ctx() ctx: Context,
  ): Promise<AzureReconciliation | null> {
    const view = await ctx.services.azureReconciliation.reconcile(ctx, customerId);
    if (!view) {
      return null;
    }
    return Object.assign(new AzureReconciliation(), {
      customer: customerFromSnapshot(view),
      generatedAt: new Date(view.generatedAt),
      subscriptions: view.rows.map((r) =>
        Object.assign(new AzureReconciliationEntry(), {
          ...r,
          purchasedAt: r.purchasedAt ? new Date(r.purchasedAt) : null,
          history: r.history.map((h) =>
            Object.assign(new AzureStatusChange(), { ...h, at: new Date(h.at) }),
          ),
        }),
      ),
    });
  }

  @Authorized(...CUSTOMER_READ_ROLES)
  @Mutation(() => ExportPayload, {
    description: "Exports a customer's 0145P reconciliation view as CSV or XLSX (R-AZP-8).",
  })
  async exportAzureReconciliation(
    @Arg('input', () => ExportAzureReconciliationInput) input: ExportAzureReconciliationInput,
    @Ctx() ctx: Context,
  ): Promise<ExportPayload> {
    const result = await ctx.services.azureReconciliation.export(ctx, input);
    return result.ok
      ? { export: Object.assign(new Export(), result.value), userErrors: [] }
      : { export: null, userErrors: [BasicUserError.from(result.error)] };
  }
}
