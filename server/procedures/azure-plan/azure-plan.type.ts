import { WorkflowObject } from '../../modules/workflows/workflow-object.type.js';
import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from '../../shared/scalars.js';
import { BasicUserError, Node, UserError } from '../../modules/common/common.type.js';
import {
  AzureEntitlement,
  CustomerSubscription,
} from '../../modules/subscriptions/subscription.type.js';
import { Workflow, WorkflowKind } from '../../modules/workflow-core/workflow.type.js';

@ObjectType('Money', { description: 'An exact amount of money.' })
export class Money {
  @Field(() => String, { description: 'Decimal string with two decimals, e.g. "5000.00".' })
  amount!: string;

  @Field(() => String, { description: 'ISO 4217 currency code, e.g. EUR.' })
  currency!: string;
}

@InputType('MoneyInput', { description: 'An exact amount of money.' })
export class MoneyInput {
  @Field(() => String, {
    description:
      'Decimal string, at most two decimals, no sign or exponent (e.g. "5000" or "5000.50").',
  })
  amount!: string;

  @Field(() => String, { description: 'ISO 4217 currency code, e.g. EUR.' })
  currency!: string;
}

export enum AzureMappingState {
  PLANNED = 'PLANNED',
  UPGRADING = 'UPGRADING',
  VERIFYING = 'VERIFYING',
  MAPPED = 'MAPPED',
  FAILED = 'FAILED',
}
registerEnumType(AzureMappingState, {
  name: 'AzureMappingState',
  description: 'Where one legacy Azure subscription of a transition stands (R-AZP-4).',
  valuesConfig: {
    PLANNED: { description: 'Inventoried; the product upgrade has not started.' },
    UPGRADING: { description: "Partner Center's product upgrade is moving it (progress visible)." },
    VERIFYING: {
      description:
        'The upgrade reports it done; checking the entitlement is on its plan and the commerce subscription suspended (R-AZP-8).',
    },
    MAPPED: { description: 'Attached to its Azure plan; the commerce subscription is suspended.' },
    FAILED: {
      description:
        'Partner Center failed this line (its error is shown); `retryWorkflow` runs it again (R-AZP-9).',
    },
  },
});

@ObjectType('AzurePlanTransitionLine', {
  description: 'One legacy "Microsoft Azure" (0145P) subscription of a transition and its mapping.',
})
export class AzurePlanTransitionLine {
  @Field(() => String, { description: 'Partner Center (commerce) subscription id.' })
  commerceSubscriptionId!: string;

  @Field(() => String, { description: 'Azure subscription (entitlement) id (R-AZP-8).' })
  azureSubscriptionId!: string;

  @Field(() => String, { nullable: true, description: 'Indirect reseller of record (MPN id).' })
  resellerMpnId!: string | null;

  @Field(() => String, { nullable: true, description: 'Nickname of the subscription.' })
  friendlyName!: string | null;

  @Field(() => AzureMappingState, { description: 'Progress of the mapping.' })
  state!: AzureMappingState;

  @Field(() => String, {
    nullable: true,
    description: "Partner Center's error code when the line failed (e.g. 900114).",
  })
  errorCode!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Why the line waits, or what went wrong (with Partner Center's description).",
  })
  detail!: string | null;

  @Field(() => String, { nullable: true, description: 'The product upgrade that moved it.' })
  upgradeId!: string | null;

  @Field(() => String, { nullable: true, description: 'The Azure plan it is attached to.' })
  planSubscriptionId!: string | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'When Partner Center moved it (end of billing on the old subscription, R-AZP-7).',
  })
  upgradedAt!: Date | null;
}

@ObjectType('AzurePlanAssignment', {
  description:
    'One Azure plan of a transition: one per customer (direct) or per reseller of record (indirect), R-AZP-3.',
})
export class AzurePlanAssignment {
  @Field(() => String, {
    nullable: true,
    description: 'Reseller of record the plan is bought for; null for a direct partner.',
  })
  resellerMpnId!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The plan's Partner Center subscription id, once it exists.",
  })
  planSubscriptionId!: string | null;

  @Field(() => CustomerSubscription, {
    nullable: true,
    description: 'The Azure plan subscription (live), once bought.',
  })
  planSubscription!: CustomerSubscription | null;

  @Field(() => [AzureEntitlement], {
    description:
      'The Azure subscriptions mapped to this plan (planned ones until mapped: `azurePlanSubscriptionId` is set once verified).',
  })
  mapped!: AzureEntitlement[];

  @Field(() => String, { description: 'PLANNED, PURCHASED or FAILED.' })
  state!: string;
}

@ObjectType('AzureBillingImpact', {
  description:
    'Billing of one moved Azure subscription (R-AZP-7): consumption up to the transition stays on the existing CSP invoice.',
})
export class AzureBillingImpact {
  @Field(() => String, { description: 'Commerce subscription billed until the transition.' })
  commerceSubscriptionId!: string;

  @Field(() => String, { description: 'The Azure subscription.' })
  azureSubscriptionId!: string;

  @Field(() => String, { nullable: true, description: 'Azure plan billing it from then on.' })
  planSubscriptionId!: string | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'Consumption up to this instant is on the existing CSP invoice.',
  })
  oldInvoiceUntil!: Date | null;
}

@ObjectType('AzurePlanTransition', {
  implements: [Node, Workflow],
  description:
    'Transition of one customer from legacy Azure (MS-AZR-0145P) to the Azure plan (R-AZP-1..9).',
})
export class AzurePlanTransition extends WorkflowObject implements Workflow {
  @Field(() => WorkflowKind, { description: 'Always AZURE_PLAN_TRANSITION.' })
  kind!: WorkflowKind;
}

@InputType('PlanAzurePlanTransitionInput', {
  description: 'The customer to move to the Azure plan, and optionally its budget.',
})
export class PlanAzurePlanTransitionInput {
  @Field(() => ID, { description: 'Global Customer id (the partner tenant that serves it).' })
  customerId!: string;

  @Field(() => MoneyInput, {
    nullable: true,
    description: "Budget limit in the customer's local currency (R-AZP-5); set after the mapping.",
  })
  budget?: MoneyInput | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Same key and same input return the same workflow; same key and another input is refused.',
  })
  idempotencyKey?: string | null;
}

@InputType('OrderLegacyAzureSubscriptionInput', {
  description: 'A legacy "Microsoft Azure" (MS-AZR-0145P) subscription to order.',
})
export class OrderLegacyAzureSubscriptionInput {
  @Field(() => ID, { description: 'Global Customer id.' })
  customerId!: string;

  @Field(() => String, { nullable: true, description: 'Nickname of the new subscription.' })
  friendlyName?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Indirect reseller of record (MPN id), for an indirect provider.',
  })
  resellerMpnId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Repeating the same key repeats the same order (Partner Center MS-RequestId).',
  })
  idempotencyKey?: string | null;
}

@ObjectType('OrderLegacyAzureSubscriptionPayload', {
  description: 'The new subscription, or why it could not be ordered (e.g. R-AZP-6).',
})
export class OrderLegacyAzureSubscriptionPayload {
  @Field(() => CustomerSubscription, { nullable: true, description: 'The ordered subscription.' })
  subscription!: CustomerSubscription | null;

  @Field(() => [UserError], { description: 'Business failures; empty on success.' })
  userErrors!: BasicUserError[];
}
