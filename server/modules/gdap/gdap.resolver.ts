import {
  Arg,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { CUSTOMER_READ_ROLES, WORKFLOW_WRITE_ROLES } from '../../shared/actor.js';
import { BadUserInputError } from '../../shared/errors.js';
import { decodeId } from '../../shared/ids.js';
import { type ApiContext } from '../api-context.js';
import { BasicUserError } from '../common/common.type.js';
import { Customer } from '../customers/customer.type.js';
import { PartnerOrganization } from '../organizations/organization.type.js';
import { toGdapRelationship, toGdapTemplate } from './gdap.mapper.js';
import { MAX_EXPIRY_WINDOW_DAYS } from './gdap.service.js';
import {
  GdapRelationship,
  GdapRoleTemplate,
  SetGdapRoleTemplateInput,
  SetGdapRoleTemplatePayload,
} from './gdap.type.js';

@Resolver(() => PartnerOrganization)
export class GdapTemplateResolver {
  @FieldResolver(() => GdapRoleTemplate, {
    description:
      "The organization's GDAP role template (the default one until `setGdapRoleTemplate` is called).",
  })
  async gdapRoleTemplate(
    @Root() _org: PartnerOrganization,
    @Ctx() ctx: ApiContext,
  ): Promise<GdapRoleTemplate> {
    const view = await ctx.services.gdap.template(ctx);
    return toGdapTemplate(view.template, view);
  }

  @Authorized(...WORKFLOW_WRITE_ROLES)
  @Mutation(() => SetGdapRoleTemplatePayload, {
    description:
      'Sets the GDAP role template of your organization: the roles, duration, auto-extension and security groups of every GDAP relationship the procedures create (GLOBAL_ADMIN or ADMIN_AGENT). Plans made from now on use it.',
  })
  async setGdapRoleTemplate(
    @Arg('input', () => SetGdapRoleTemplateInput) input: SetGdapRoleTemplateInput,
    @Ctx() ctx: ApiContext,
  ): Promise<SetGdapRoleTemplatePayload> {
    const result = await ctx.services.gdap.setTemplate(ctx, {
      roles: input.roles,
      duration: input.duration,
      autoExtend: input.autoExtend,
      accessAssignments: (input.accessAssignments ?? []).map((a) => ({
        securityGroupId: a.securityGroupId,
        roles: a.roles,
      })),
    });
    if (!result.ok) {
      return { template: null, userErrors: result.error.map((e) => BasicUserError.from(e)) };
    }
    return { template: toGdapTemplate(result.value.template, result.value), userErrors: [] };
  }

  @Authorized(...CUSTOMER_READ_ROLES)
  @Query(() => [GdapRelationship], {
    description:
      'GDAP relationships of one of your partner tenants that end within `withinDays` days and do not auto-extend, soonest first (live from Microsoft Graph).',
  })
  async gdapExpiringRelationships(
    @Arg('partnerTenantId', () => ID) partnerTenantId: string,
    @Arg('withinDays', () => Int, { defaultValue: 30 }) withinDays: number,
    @Ctx() ctx: ApiContext,
  ): Promise<GdapRelationship[]> {
    if (!Number.isInteger(withinDays) || withinDays < 0 || withinDays > MAX_EXPIRY_WINDOW_DAYS) {
      throw new BadUserInputError(
        `"withinDays" must be between 0 and ${MAX_EXPIRY_WINDOW_DAYS}.`,
        'withinDays',
      );
    }
    const decoded = decodeId(partnerTenantId);
    const tenantId =
      decoded?.type === 'PartnerTenant' && decoded.parts.length === 1 ? decoded.parts[0] : null;
    const rels = tenantId ? await ctx.services.gdap.expiring(ctx, tenantId, withinDays) : null;
    if (!rels || !tenantId) {
      throw new BadUserInputError(
        `No partner tenant of your organization has id ${partnerTenantId}.`,
        'partnerTenantId',
      );
    }
    const now = ctx.clock.now();
    return rels.map((r) => toGdapRelationship(r, tenantId, now));
  }
}

@Resolver(() => Customer)
export class CustomerGdapResolver {
  @Authorized(...CUSTOMER_READ_ROLES)
  @FieldResolver(() => [GdapRelationship], {
    description:
      "The customer's GDAP relationships with this partner tenant (status, roles, end date, auto-extension), live from Microsoft Graph.",
  })
  async gdapRelationships(
    @Root() customer: Customer,
    @Ctx() ctx: ApiContext,
  ): Promise<GdapRelationship[]> {
    const partnerTenantId = customer.record.partnerTenantId;
    const rels = await ctx.services.gdap.relationshipsOf(ctx, partnerTenantId, customer.tenantId);
    const now = ctx.clock.now();
    return rels.map((r) => toGdapRelationship(r, partnerTenantId, now));
  }
}
