import { type AppModule } from '../../app/module.js';
import { CUSTOMER_READ_ROLES } from '../../shared/actor.js';
import { CustomerResolver } from './customer.resolver.js';
import { Customer } from './customer.type.js';

export const customersModule: AppModule = {
  name: 'customers',
  resolvers: [CustomerResolver],
  nodes: [
    {
      typeName: 'Customer',
      arity: 2,
      roles: CUSTOMER_READ_ROLES,
      async resolve(ctx, [partnerTenantId = '', customerTenantId = '']) {
        const customer = await ctx.services.customers.getCustomer(
          ctx,
          partnerTenantId,
          customerTenantId,
        );
        return customer ? Customer.from(customer) : null;
      },
    },
  ],
};
