import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { type ApiContext } from '../api-context.js';
import { AzureEntitlement, CustomerSubscription } from './subscription.type.js';

@Resolver(() => CustomerSubscription)
export class CustomerSubscriptionResolver {
  @FieldResolver(() => AzureEntitlement, {
    nullable: true,
    description: 'The Azure entitlement (AZURE_LEGACY and AZURE_PLAN only; null otherwise).',
  })
  async azureEntitlement(
    @Root() subscription: CustomerSubscription,
    @Ctx() ctx: ApiContext,
  ): Promise<AzureEntitlement | null> {
    const record = await ctx.services.subscriptions.azureEntitlement(ctx, subscription.record);
    return record ? AzureEntitlement.from(record) : null;
  }
}
