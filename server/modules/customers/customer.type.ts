import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { CustomerRelationship } from '../../shared/enums.js';
import { encodeId } from '../../shared/ids.js';
import { createConnectionType, Node } from '../common/common.type.js';
import { type CustomerRecord } from './customer.service.js';

registerEnumType(CustomerRelationship, {
  name: 'CustomerRelationship',
  description: "The partner tenant's relationship with the customer (`relationshipToPartner`).",
  valuesConfig: {
    NONE: {
      description: 'No reseller or advisor relationship (also syndication and Microsoft support).',
    },
    RESELLER: {
      description: 'Reseller relationship: the partner can sell CSP offers to the customer.',
    },
    ADVISOR: { description: 'Advisor relationship (no CSP reselling).' },
  },
});

const customerObjects = new WeakMap<CustomerRecord, Customer>();

@ObjectType('Customer', {
  implements: Node,
  description: 'A customer tenant served by one partner tenant, read live from Partner Center.',
})
export class Customer implements Node {
  @Field(() => ID, { description: 'Global, opaque id (partner tenant + customer tenant).' })
  id!: string;

  @Field(() => String, { description: 'Entra ID tenant id (GUID) of the customer.' })
  tenantId!: string;

  @Field(() => String, { description: 'Company name from the company profile.' })
  companyName!: string;

  @Field(() => String, { description: 'Primary domain from the company profile.' })
  domain!: string;

  @Field(() => CustomerRelationship, {
    description: 'Relationship of the partner tenant with this customer.',
  })
  relationship!: CustomerRelationship;

  /** The record behind this object (partner tenant id, country if known); not in the schema. */
  record!: CustomerRecord;

  /** One object per record (records are shared while the read cache holds their list). */
  static from(record: CustomerRecord): Customer {
    let built = customerObjects.get(record);
    if (!built) {
      built = Customer.build(record);
      customerObjects.set(record, built);
    }
    return built;
  }

  private static build(record: CustomerRecord): Customer {
    return Object.assign(new Customer(), {
      id: encodeId('Customer', record.partnerTenantId, record.tenantId),
      tenantId: record.tenantId,
      companyName: record.companyName,
      domain: record.domain,
      relationship: record.relationship,
      record,
    });
  }
}

export const CustomerConnection = createConnectionType('Customer', () => Customer, {
  description: 'A page of customers, sorted by company name.',
});
