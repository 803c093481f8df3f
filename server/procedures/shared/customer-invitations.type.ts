import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../../shared/scalars.js';
import { type InvitationRecord } from './invitation-follow-up.js';

@InputType('ReinviteCustomerInput', {
  description: 'A customer of a workflow that invites customers (consolidation, channel move).',
})
export class ReinviteCustomerInput {
  @Field(() => ID, { description: 'Global id of the workflow.' })
  id!: string;

  @Field(() => String, {
    description: 'Tenant id (GUID) of the customer.',
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
    description: 'Tenant id (GUID) of the customer.',
  })
  customerTenantId!: string;

  @Field(() => String, {
    description: 'Why it is left out (1–500 characters; in the events and the activity log).',
  })
  reason!: string;
}

@ObjectType('CustomerInvitation', {
  description:
    'The current reseller invitation of a customer (R-CON-2, R-CHN-1): reminders and validity on the business clock (INVITATION_* settings).',
})
export class CustomerInvitation {
  @Field(() => Int, { description: '1 for the first invitation, one more per reinviteCustomer.' })
  round!: number;

  @Field(() => DateTimeScalar, { description: 'When this invitation was issued.' })
  invitedAt!: Date;

  @Field(() => DateTimeScalar, {
    description:
      'Past this instant without an answer the customer is a blocker (INVITATION_EXPIRED).',
  })
  expiresAt!: Date;

  @Field(() => Int, { description: 'Reminders sent for this invitation.' })
  remindersSent!: number;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the last reminder was sent.' })
  lastReminderAt!: Date | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'When the workflow found it expired; null while valid.',
  })
  expiredAt!: Date | null;

  static from(record: InvitationRecord | undefined | null): CustomerInvitation | null {
    if (!record) {
      return null;
    }
    return Object.assign(new CustomerInvitation(), {
      round: record.round,
      invitedAt: new Date(record.invitedAt),
      expiresAt: new Date(record.expiresAt),
      remindersSent: record.remindersSent,
      lastReminderAt: record.lastReminderAt ? new Date(record.lastReminderAt) : null,
      expiredAt: record.expiredAt ? new Date(record.expiredAt) : null,
    });
  }
}
