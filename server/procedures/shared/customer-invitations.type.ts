import { Field, ID, InputType } from 'type-graphql';

@InputType('ReinviteCustomerInput', {
  description: 'A customer of a workflow that invites customers (consolidation, channel move).',
})
export class ReinviteCustomerInput {
  @Field(() => ID, { description: 'Global id of the workflow.' })
  id!: string;

  @Field(() => String, {
    description: 'Tenant id of the customer (or the global id of the Customer).',
  })
  customerTenantId!: string;
}

@InputType('ExcludeFromWorkflowInput', {
  description: 'A customer to leave out of a workflow, and why.',
})
export class ExcludeFromWorkflowInput {
  @Field(() => ID, { description: 'Global id of the workflow.' })
  id!: string;

  @Field(() => String, {
    description: 'Tenant id of the customer (or the global id of the Customer).',
  })
  customerTenantId!: string;

  @Field(() => String, {
    description: 'Why it is left out (1–500 characters; in the events and the activity log).',
  })
  reason!: string;
}
