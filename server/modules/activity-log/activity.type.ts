import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../../shared/scalars.js';
import { createConnectionType, Node } from '../common/common.type.js';
import { Customer } from '../customers/customer.type.js';
import { ActivityOperationEnum, ActivitySource } from './activity-enums.type.js';

@ObjectType('ActivityEntry', {
  implements: Node,
  description:
    'One change that affected a customer (R-CON-9): made by this product or read from the Partner Center audit log. Kept without Partner Center’s 90-day limit.',
})
export class ActivityEntry implements Node {
  @Field(() => ID, { description: 'Global, opaque id.' })
  id!: string;

  @Field(() => DateTimeScalar, { description: 'When the change happened.' })
  at!: Date;

  @Field(() => String, { description: 'Who made it (user, or "Partner Center").' })
  actor!: string;

  @Field(() => String, {
    description:
      'What was done, raw: our operation (e.g. invite_customer) or the Partner Center audit operation type (e.g. create_order). Kept as a string: Partner Center adds operation types.',
  })
  operation!: string;

  @Field(() => ActivityOperationEnum, {
    description:
      '`operation` as the typed enum `ActivityOperation` (UNKNOWN for a Partner Center type not listed there).',
  })
  operationEnum!: string;

  @Field(() => Customer, { nullable: true, description: 'The customer affected, if any.' })
  customer!: Customer | null;

  @Field(() => ID, { nullable: true, description: 'The workflow that made the change, if any.' })
  workflowId!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The Partner Center subscription affected, if any.',
  })
  subscriptionId!: string | null;

  @Field(() => String, { nullable: true, description: 'Free-text details.' })
  details!: string | null;

  @Field(() => String, {
    description:
      'PRODUCT (this API made the change) or PARTNER_CENTER_AUDIT (read from the audit log).',
    deprecationReason: 'Use `sourceEnum` (the same values as the enum ActivitySource).',
  })
  source!: string;

  @Field(() => ActivitySource, { description: 'Where the entry comes from.' })
  sourceEnum!: ActivitySource;
}

export const ActivityEntryConnection = createConnectionType('ActivityEntry', () => ActivityEntry, {
  description: 'A page of activity entries, oldest first.',
});

@InputType('ActivityLogFilter', { description: 'Filters of the activity log (R-CON-9).' })
export class ActivityLogFilter {
  @Field(() => DateTimeScalar, { nullable: true, description: 'From this instant (inclusive).' })
  from?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Up to this instant (inclusive).' })
  to?: Date | null;

  @Field(() => String, {
    nullable: true,
    description: 'Substring of the customer name or customer tenant id (case-insensitive).',
  })
  customerSearch?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only entries of this workflow.' })
  workflowId?: string | null;
}
