import { Field, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../../shared/scalars.js';

@ObjectType('BillingOverlapItem', {
  description:
    'One source subscription billed together with its replacement (R-CON-4/5), from Partner Center’s dates.',
})
export class BillingOverlapItem {
  @Field(() => String, { description: 'The customer (company name, as inventoried).' })
  companyName!: string;

  @Field(() => String, { description: "The customer's tenant id." })
  customerTenantId!: string;

  @Field(() => String, { description: 'The source subscription id (Partner Center).' })
  sourceSubscriptionId!: string;

  @Field(() => String, { nullable: true, description: 'Its replacement under the target.' })
  targetSubscriptionId!: string | null;

  @Field(() => DateTimeScalar, {
    description:
      'When Partner Center started billing the replacement (its effectiveStartDate), not when the API saw it active.',
  })
  targetActiveAt!: Date;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description:
      'When Partner Center suspended the source (its audit record); null while it is still active.',
  })
  sourceSuspendedAt!: Date | null;

  @Field(() => Int, {
    description:
      "UTC calendar days after the replacement's first day on which the source was still active; for an open overlap, up to now.",
  })
  overlapDays!: number;

  @Field(() => Boolean, {
    description:
      'True while the source is not suspended yet (e.g. its suspension keeps failing): the overlap grows each UTC day.',
  })
  open!: boolean;
}
