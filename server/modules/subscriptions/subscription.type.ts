import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BillingType, ProductFamily, SubscriptionStatus } from '../../shared/enums.js';
import { encodeId } from '../../shared/ids.js';
import { DateTimeScalar } from '../../shared/scalars.js';
import { createConnectionType, Node } from '../common/common.type.js';
import { type AzureEntitlementRecord, type SubscriptionRecord } from './subscription.service.js';

registerEnumType(SubscriptionStatus, {
  name: 'SubscriptionStatus',
  description: 'Status of a Partner Center subscription.',
  valuesConfig: {
    ACTIVE: { description: 'In use and billed.' },
    SUSPENDED: { description: 'Suspended: not usable, not billed; can be reactivated.' },
    DELETED: { description: 'Cancelled.' },
    EXPIRED: { description: 'Term ended without renewal.' },
    PENDING: { description: 'Being provisioned.' },
    DISABLED: { description: 'Disabled by Microsoft, or a status this API does not know.' },
  },
});
registerEnumType(BillingType, {
  name: 'BillingType',
  description: 'How a subscription is billed.',
  valuesConfig: {
    LICENSE: { description: 'Per seat (licenses).' },
    USAGE: { description: 'By consumption (Azure).' },
  },
});
registerEnumType(ProductFamily, {
  name: 'ProductFamily',
  description: 'Product family derived from the offer id and name.',
  valuesConfig: {
    OFFICE365: { description: 'Office 365 / Microsoft 365.' },
    DYNAMICS: { description: 'Dynamics 365.' },
    EMS: { description: 'Enterprise Mobility + Security.' },
    AZURE_LEGACY: { description: 'Legacy "Microsoft Azure" (MS-AZR-0145P).' },
    AZURE_PLAN: { description: 'Azure plan (new commerce, product DZH318Z0BPS6).' },
    OTHER: { description: 'Anything else.' },
  },
});

const subscriptionObjects = new WeakMap<SubscriptionRecord, CustomerSubscription>();

@ObjectType('CustomerSubscription', {
  implements: Node,
  description:
    "A customer's Partner Center subscription ('Subscription' is GraphQL's root subscription type).",
})
export class CustomerSubscription implements Node {
  @Field(() => ID, { description: 'Global, opaque id.' })
  id!: string;

  @Field(() => String, { description: 'Partner Center subscription id.' })
  subscriptionId!: string;

  @Field(() => String, {
    description: 'Offer id (legacy offer id or new-commerce catalog item id).',
  })
  offerId!: string;

  @Field(() => String, { description: 'Offer display name.' })
  offerName!: string;

  @Field(() => String, { nullable: true, description: 'Nickname given by the partner.' })
  friendlyName!: string | null;

  @Field(() => Int, { description: 'Seats (licenses); 1 for usage-based subscriptions.' })
  quantity!: number;

  @Field(() => BillingType, { description: 'License or usage billing.' })
  billingType!: BillingType;

  @Field(() => ProductFamily, { description: 'Product family derived from the offer.' })
  productFamily!: ProductFamily;

  @Field(() => SubscriptionStatus, { description: 'Current status.' })
  status!: SubscriptionStatus;

  @Field(() => String, {
    nullable: true,
    description: 'MPN id (PartnerID) of the indirect reseller of record, if any.',
  })
  resellerMpnId!: string | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'End of the current commitment term.',
  })
  commitmentEndDate!: Date | null;

  /** The record behind this object; not in the schema. */
  record!: SubscriptionRecord;

  /**
   * One object per record: records are shared while the read cache holds their list, so pages
   * served from it do not encode every id again (objects are never changed after this).
   */
  static from(record: SubscriptionRecord): CustomerSubscription {
    let built = subscriptionObjects.get(record);
    if (!built) {
      built = CustomerSubscription.build(record);
      subscriptionObjects.set(record, built);
    }
    return built;
  }

  private static build(record: SubscriptionRecord): CustomerSubscription {
    return Object.assign(new CustomerSubscription(), {
      id: encodeId(
        'CustomerSubscription',
        record.partnerTenantId,
        record.customerTenantId,
        record.subscriptionId,
      ),
      subscriptionId: record.subscriptionId,
      offerId: record.offerId,
      offerName: record.offerName,
      friendlyName: record.friendlyName,
      quantity: record.quantity,
      billingType: record.billingType,
      productFamily: record.productFamily,
      status: record.status,
      resellerMpnId: record.resellerMpnId,
      commitmentEndDate: record.commitmentEndDate,
      record,
    });
  }
}

@ObjectType('AzureEntitlement', {
  description:
    'The two parts of an Azure subscription in CSP (R-AZP-8): the commerce subscription and the Azure subscription (entitlement).',
})
export class AzureEntitlement {
  @Field(() => String, { description: 'Azure subscription id (GUID), as in the Azure portal.' })
  azureSubscriptionId!: string;

  @Field(() => String, { description: 'Partner Center (commerce) subscription id.' })
  commerceSubscriptionId!: string;

  @Field(() => SubscriptionStatus, { description: 'Status of the Azure entitlement.' })
  status!: SubscriptionStatus;

  @Field(() => String, {
    nullable: true,
    description:
      'Azure plan subscription the Azure subscription is attached to, once transitioned.',
  })
  azurePlanSubscriptionId!: string | null;

  @Field(() => SubscriptionStatus, {
    nullable: true,
    description:
      'Status of the commerce subscription (R-AZP-8: suspended after the transition, so no further consumption is reported on it).',
  })
  commerceStatus!: SubscriptionStatus | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'True when the Azure subscription id differs from the commerce subscription id (after a partner transfer or billing-ownership change); equal at purchase.',
  })
  idsDiffer!: boolean | null;

  static from(record: AzureEntitlementRecord): AzureEntitlement {
    return Object.assign(new AzureEntitlement(), record);
  }
}

export const CustomerSubscriptionConnection = createConnectionType(
  'CustomerSubscription',
  () => CustomerSubscription,
  { description: 'A page of subscriptions, sorted by offer name.' },
);
