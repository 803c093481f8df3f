import { ArgsType, Field } from 'type-graphql';
import { WorkflowPageArgs } from '../../modules/workflow-core/workflow.type.js';
import { ConsolidationCustomerState } from './consolidation.type.js';

/** Arguments of `TenantConsolidation.customers`: a page, optionally of some states only. */
@ArgsType()
export class ConsolidationCustomersArgs extends WorkflowPageArgs {
  @Field(() => [ConsolidationCustomerState], {
    nullable: true,
    description:
      'Only customers in one of these states (e.g. [INVITED, INVITATION_EXPIRED] for those still to accept, [EXCLUDED]); default all. `totalCount` counts the filtered set.',
  })
  state?: ConsolidationCustomerState[] | null;
}
