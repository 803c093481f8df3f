import { WorkflowObject } from '../../modules/workflows/workflow-object.type.js';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from '../../shared/scalars.js';
import { createConnectionType, Node } from '../../modules/common/common.type.js';
import { Customer } from '../../modules/customers/customer.type.js';
import { PartnerTenant } from '../../modules/organizations/organization.type.js';
import { CustomerSubscription } from '../../modules/subscriptions/subscription.type.js';
import { Workflow, WorkflowKind } from '../../modules/workflow-core/workflow.type.js';
import { BillingOverlapItem } from './consolidation-overlap.type.js';

export enum ConsolidationCustomerState {
  PLANNED = 'PLANNED',
  INVITED = 'INVITED',
  ACCEPTED = 'ACCEPTED',
  REPROVISIONED = 'REPROVISIONED',
  AZURE_MIGRATION_REQUESTED = 'AZURE_MIGRATION_REQUESTED',
  DONE = 'DONE',
  BLOCKED = 'BLOCKED',
}
registerEnumType(ConsolidationCustomerState, {
  name: 'ConsolidationCustomerState',
  description: 'Where one customer of a tenant consolidation stands (R-CON-2..6).',
  valuesConfig: {
    PLANNED: { description: 'Inventoried; nothing done yet.' },
    INVITED: {
      description:
        'Reseller invitation issued by the target tenant; waiting for acceptance (R-CON-2).',
    },
    ACCEPTED: {
      description: 'Accepted with delegated admin; subscriptions are being re-provisioned.',
    },
    REPROVISIONED: {
      description:
        'Every license subscription exists under the target and the sources are suspended (R-CON-3/4).',
    },
    AZURE_MIGRATION_REQUESTED: {
      description: 'Microsoft support was asked to migrate the Azure subscriptions (R-CON-6).',
    },
    DONE: { description: 'Everything moved and verified.' },
    BLOCKED: { description: 'Excluded by a blocker; nothing is done for this customer.' },
  },
});

export enum ConsolidationItemKind {
  LICENSE_REPROVISION = 'LICENSE_REPROVISION',
  AZURE_SUPPORT_MIGRATION = 'AZURE_SUPPORT_MIGRATION',
}
registerEnumType(ConsolidationItemKind, {
  name: 'ConsolidationItemKind',
  description: 'How a source subscription moves.',
  valuesConfig: {
    LICENSE_REPROVISION: {
      description:
        'Re-created under the target with the same offer and seats, then suspended at the source (R-CON-3/4).',
    },
    AZURE_SUPPORT_MIGRATION: {
      description: 'Moved by Microsoft support with its resources (R-CON-6).',
    },
  },
});

@ObjectType('ConsolidationItem', {
  description: 'One source subscription of a consolidated customer.',
})
export class ConsolidationItem {
  @Field(() => ConsolidationItemKind, { description: 'How it moves.' })
  kind!: ConsolidationItemKind;

  @Field(() => CustomerSubscription, {
    description:
      'The source subscription (live, or as inventoried when Partner Center no longer lists it).',
  })
  source!: CustomerSubscription;

  @Field(() => CustomerSubscription, {
    nullable: true,
    description: 'Its replacement (or migrated copy) under the target tenant.',
  })
  target!: CustomerSubscription | null;

  @Field(() => Int, { description: 'Seats, from the inventory taken at planning time (R-CON-1).' })
  seats!: number;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description:
      'When Partner Center started billing the target subscription (its effectiveStartDate; the time it was seen active only when Partner Center has no date).',
  })
  targetActiveAt!: Date | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description:
      'When the API saw the target subscription active (later than `targetActiveAt` when provisioning takes hours); the source is never suspended before this (R-CON-4).',
  })
  targetSeenActiveAt!: Date | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description:
      'When Partner Center suspended the source subscription (its audit record; the time the suspension was seen only when the audit log has none).',
  })
  sourceSuspendedAt!: Date | null;

  @Field(() => Int, {
    nullable: true,
    description:
      "Calendar days after the target's first day on which both were active (R-CON-4: must be 0).",
  })
  overlapDays!: number | null;

  @Field(() => Boolean, {
    description:
      'True while the replacement is billed and the source is not suspended yet: `overlapDays` then counts up to now.',
  })
  overlapOpen!: boolean;

  @Field(() => String, {
    nullable: true,
    description:
      "The offer ordered under the target when it differs from the source's: the catalog successor of an offer no longer sold there (R-CHN-6).",
  })
  proposedOfferId!: string | null;

  @Field(() => String, { nullable: true, description: 'The proposed offer’s name.' })
  proposedOfferName!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Why the proposed offer replaces the source’s, with the license-reassignment warning (R-CHN-6).',
  })
  successorReason!: string | null;

  @Field(() => String, {
    description:
      'Engine status of the item: PENDING, RUNNING, WAITING, DONE, BLOCKED, FAILED, SKIPPED or CANCELED.',
  })
  status!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Why the item waits or what last went wrong.',
  })
  detail!: string | null;
}

@ObjectType('ConsolidationCustomer', {
  description: 'One customer of a tenant consolidation and its subscriptions.',
})
export class ConsolidationCustomer {
  @Field(() => Customer, { description: 'The customer, as served by its source tenant.' })
  customer!: Customer;

  @Field(() => ConsolidationCustomerState, { description: 'Where it stands.' })
  state!: ConsolidationCustomerState;

  @Field(() => String, {
    nullable: true,
    description: "The target tenant's reseller invitation URL for this customer (R-CON-2).",
  })
  invitationUrl!: string | null;

  @Field(() => [ConsolidationItem], { description: 'Its license and Azure subscriptions to move.' })
  items!: ConsolidationItem[];

  @Field(() => String, {
    nullable: true,
    description: 'Why this customer waits (e.g. the invitation is not accepted yet) or failed.',
  })
  waitingReason!: string | null;
}

export const ConsolidationCustomerConnection = createConnectionType(
  'ConsolidationCustomer',
  () => ConsolidationCustomer,
  {
    description: 'A page of the customers of a consolidation, in planning order.',
  },
);

@ObjectType('BillingOverlapReport', {
  description: 'Days on which a source and its replacement were both billed (R-CON-4/5).',
})
export class BillingOverlapReport {
  @Field(() => Int, { description: 'Items with at least one day of overlap.' })
  itemsWithOverlap!: number;

  @Field(() => Int, {
    description: 'The largest overlap in days (0 when every suspension was the same day).',
  })
  maxOverlapDays!: number;

  @Field(() => Int, {
    description:
      'Items whose replacement is billed while the source is still active (not suspended yet): open overlaps, counted while they last.',
  })
  openOverlaps!: number;

  @Field(() => DateTimeScalar, { description: 'The time the open overlaps are counted up to.' })
  asOf!: Date;

  @Field(() => [BillingOverlapItem], {
    description: 'Each item with an overlap day or an open overlap, longest first.',
  })
  items!: BillingOverlapItem[];
}

@ObjectType('TenantConsolidation', {
  implements: [Node, Workflow],
  description:
    'Regional tenant consolidation (R-CON-1..10): customers of the source tenants move to one target tenant.',
})
export class TenantConsolidation extends WorkflowObject implements Workflow {
  @Field(() => WorkflowKind, { description: 'Always TENANT_CONSOLIDATION.' })
  kind!: WorkflowKind;

  @Field(() => [PartnerTenant], { description: 'The "transition from" tenants.' })
  sources!: PartnerTenant[];

  @Field(() => PartnerTenant, { description: 'The "transition to" tenant.' })
  target!: PartnerTenant;
}

@InputType('PlanTenantConsolidationInput', {
  description: 'Source tenants, target tenant and optionally a subset of customers.',
})
export class PlanTenantConsolidationInput {
  @Field(() => [ID], { description: 'Global ids of the "transition from" partner tenants.' })
  sourcePartnerTenantIds!: string[];

  @Field(() => ID, { description: 'Global id of the "transition to" partner tenant.' })
  targetPartnerTenantId!: string;

  @Field(() => [ID], {
    nullable: true,
    description: 'Only these customers (global Customer ids of the source tenants); default all.',
  })
  customerIds?: string[] | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Same key and same input return the same workflow; same key and another input is refused.',
  })
  idempotencyKey?: string | null;
}
