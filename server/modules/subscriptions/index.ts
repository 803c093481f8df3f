import { type AppModule } from '../../app/module.js';
import { CUSTOMER_READ_ROLES } from '../../shared/actor.js';
import { CustomerSubscriptionResolver } from './subscription.resolver.js';
import { CustomerSubscription } from './subscription.type.js';

export const subscriptionsModule: AppModule = {
  name: 'subscriptions',
  resolvers: [CustomerSubscriptionResolver],
  nodes: [
    {
      typeName: 'CustomerSubscription',
      arity: 3,
      roles: CUSTOMER_READ_ROLES,
      async resolve(ctx, [partnerTenantId = '', customerTenantId = '', subscriptionId = '']) {
        const subscription = await ctx.services.subscriptions.getSubscription(
          ctx,
          partnerTenantId,
          customerTenantId,
          subscriptionId,
        );
        return subscription ? CustomerSubscription.from(subscription) : null;
      },
    },
  ],
};
