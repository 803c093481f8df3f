import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { SubscriptionStatus } from '../../shared/enums.js';
import { DateTimeScalar } from '../../shared/scalars.js';
import { Customer } from '../../modules/customers/customer.type.js';
import { ExportFormat } from '../../modules/exports/export.type.js';

@ObjectType('AzureStatusChange', {
  description: 'One entry of a legacy Azure subscription’s history (R-AZP-8 reconciliation).',
})
export class AzureStatusChange {
  @Field(() => DateTimeScalar, { description: 'When it happened (UTC).' })
  at!: Date;

  @Field(() => SubscriptionStatus, {
    nullable: true,
    description: "The commerce subscription's status after the change, when the record says it.",
  })
  status!: SubscriptionStatus | null;

  @Field(() => String, {
    description: 'What happened: purchased, a Partner Center operation type, or our operation.',
  })
  operation!: string;

  @Field(() => String, {
    description: 'PARTNER_CENTER (subscription or audit record, 90 days) or PRODUCT (this API).',
  })
  source!: string;

  @Field(() => String, { nullable: true, description: 'Details.' })
  details!: string | null;
}

@ObjectType('AzureReconciliationEntry', {
  description:
    'A legacy "Microsoft Azure" (0145P) subscription: its commerce and Azure (entitlement) parts, reseller, status, plan and history (R-AZP-8).',
})
export class AzureReconciliationEntry {
  @Field(() => String, { description: 'Partner Center (commerce) subscription id.' })
  commerceSubscriptionId!: string;

  @Field(() => String, { description: 'Azure subscription (entitlement) id.' })
  azureSubscriptionId!: string;

  @Field(() => Boolean, {
    description:
      'True when the two ids differ (after a partner transfer or billing-ownership change); equal at purchase.',
  })
  idsDiffer!: boolean;

  @Field(() => String, { nullable: true, description: 'Nickname.' })
  friendlyName!: string | null;

  @Field(() => String, { nullable: true, description: 'Reseller of record (MPN id).' })
  resellerMpnId!: string | null;

  @Field(() => SubscriptionStatus, { description: "The commerce subscription's status now." })
  status!: SubscriptionStatus;

  @Field(() => SubscriptionStatus, {
    nullable: true,
    description: "The Azure subscription's (entitlement's) status now.",
  })
  entitlementStatus!: SubscriptionStatus | null;

  @Field(() => String, {
    nullable: true,
    description: 'The Azure plan the Azure subscription is attached to, after the transition.',
  })
  azurePlanSubscriptionId!: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was bought.' })
  purchasedAt!: Date | null;

  @Field(() => [AzureStatusChange], { description: 'Status changes and operations, oldest first.' })
  history!: AzureStatusChange[];
}

@ObjectType('AzureReconciliation', {
  description: "A customer's legacy Azure subscriptions for reconciliation (R-AZP-8).",
})
export class AzureReconciliation {
  @Field(() => Customer, { description: 'The customer.' })
  customer!: Customer;

  @Field(() => DateTimeScalar, { description: 'When the view was read from Partner Center.' })
  generatedAt!: Date;

  @Field(() => [AzureReconciliationEntry], { description: 'Every 0145P subscription.' })
  subscriptions!: AzureReconciliationEntry[];
}

@InputType('ExportAzureReconciliationInput', {
  description: "A customer's 0145P reconciliation view as a file.",
})
export class ExportAzureReconciliationInput {
  @Field(() => ID, { description: 'Global Customer id.' })
  customerId!: string;

  @Field(() => ExportFormat, { description: 'CSV or XLSX.' })
  format!: ExportFormat;
}
