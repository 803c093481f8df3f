import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { encodeId } from '../../shared/ids.js';
import { PartnerRole } from '../../shared/enums.js';
import { Node } from '../common/common.type.js';
import { PartnerTenantKind, partnerTenantKindOf } from './partner-tenant-kind.type.js';
import { type OrganizationRecord, type TenantRecord } from './organization.service.js';

registerEnumType(PartnerRole, {
  name: 'PartnerRole',
  description: 'Partner Center user roles carried in the bearer token (`roles` claim).',
  valuesConfig: {
    GLOBAL_ADMIN: { description: 'Global administrator of the partner organization.' },
    ADMIN_AGENT: { description: 'Admin agent: manages customers and their services.' },
    SALES_AGENT: { description: 'Sales agent: manages customers and subscriptions.' },
    BILLING_ADMIN: { description: 'Billing administrator: invoices and billing only.' },
  },
});

@ObjectType('PartnerOrganization', {
  implements: Node,
  description: 'A CSP partner organization: one company with one or more Partner Center tenants.',
})
export class PartnerOrganization implements Node {
  @Field(() => ID, { description: 'Global, opaque id.' })
  id!: string;

  @Field(() => String, { description: 'Display name of the organization.' })
  name!: string;

  /** Organization id (not in the schema). */
  organizationId!: string;

  static from(record: OrganizationRecord): PartnerOrganization {
    return Object.assign(new PartnerOrganization(), {
      id: encodeId('PartnerOrganization', record.id),
      name: record.name,
      organizationId: record.id,
    });
  }
}

@ObjectType('PartnerTenant', {
  implements: Node,
  description:
    'A Partner Center account (an Entra ID tenant enrolled in CSP) of the organization, e.g. one per country.',
})
export class PartnerTenant implements Node {
  @Field(() => ID, { description: 'Global, opaque id; pass it as `partnerTenantId`.' })
  id!: string;

  @Field(() => String, { description: 'Entra ID tenant id (GUID) of the partner account.' })
  tenantId!: string;

  @Field(() => String, { description: 'Display name of the partner account.' })
  name!: string;

  @Field(() => String, { description: 'Microsoft Partner Network id (PartnerID) of the account.' })
  mpnId!: string;

  @Field(() => String, { description: 'ISO 3166-1 alpha-2 country of the account.' })
  country!: string;

  @Field(() => String, {
    nullable: true,
    description: 'CSP region of the account (e.g. Europe), when known.',
  })
  region!: string | null;

  @Field(() => String, {
    description: 'CSP model of the account: `direct`, `indirect_provider` or `indirect_reseller`.',
    deprecationReason: 'Use `kindEnum` (the same kinds as the enum PartnerTenantKind).',
  })
  kind!: string;

  @Field(() => PartnerTenantKind, { description: 'CSP model of the account.' })
  kindEnum!: PartnerTenantKind;

  static from(record: TenantRecord): PartnerTenant {
    return Object.assign(new PartnerTenant(), {
      id: encodeId('PartnerTenant', record.tenantId),
      tenantId: record.tenantId,
      name: record.name,
      mpnId: record.mpnId,
      country: record.country,
      region: record.region,
      kind: record.kind,
      kindEnum: partnerTenantKindOf(record.kind),
    });
  }
}

@ObjectType('Viewer', { description: 'The authenticated caller.' })
export class Viewer {
  @Field(() => String, { description: 'User id (`sub` claim).' })
  userId!: string;

  @Field(() => String, { nullable: true, description: 'Display name (`name` claim).' })
  name!: string | null;

  @Field(() => [PartnerRole], { description: 'Roles of the caller (`roles` claim).' })
  roles!: PartnerRole[];
}
