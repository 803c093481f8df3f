import { type AppModule } from '../../app/module.js';
import {
  PartnerOrganizationResolver,
  PartnerTenantResolver,
  ViewerResolver,
} from './organization.resolver.js';
import { PartnerOrganization, PartnerTenant } from './organization.type.js';

export const organizationsModule: AppModule = {
  name: 'organizations',
  resolvers: [ViewerResolver, PartnerOrganizationResolver, PartnerTenantResolver],
  nodes: [
    {
      typeName: 'PartnerOrganization',
      arity: 1,
      async resolve(ctx, [organizationId = '']) {
        const org = await ctx.services.organizations.organizationForActor(ctx, organizationId);
        return org ? PartnerOrganization.from(org) : null;
      },
    },
    {
      typeName: 'PartnerTenant',
      arity: 1,
      async resolve(ctx, [tenantId = '']) {
        const tenant = await ctx.services.organizations.tenantForActor(ctx, tenantId);
        return tenant ? PartnerTenant.from(tenant) : null;
      },
    },
  ],
};
