import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { type ApiContext } from '../../modules/api-context.js';
import { WorkflowPayload } from '../../modules/workflows/workflow-objects.type.js';
import { toPayload, workflowRowId } from '../../modules/workflows/workflow.resolver.js';
import { type CustomerInvitationServices } from './customer-invitations.service.js';
import { ExcludeFromWorkflowInput, ReinviteCustomerInput } from './customer-invitations.type.js';

type Context = ApiContext<CustomerInvitationServices>;

const notFound = (): WorkflowPayload =>
  toPayload({
    ok: false,
    error: { code: 'NOT_FOUND', message: 'No such workflow.', field: ['input', 'id'] },
  });

/** The mutations on the customers a workflow invites (R-CON-2, R-CHN-1). */
@Resolver()
export class CustomerInvitationResolver {
  @Authorized()
  @Mutation(() => WorkflowPayload, {
    description:
      'Invites a customer that has not accepted again: a fresh reseller invitation link, reminders and validity counted from now, its INVITATION_EXPIRED blocker cleared. Refused for a customer that accepted, is excluded or is unknown. Needs GLOBAL_ADMIN or ADMIN_AGENT.',
  })
  async reinviteCustomer(
    @Arg('input', () => ReinviteCustomerInput) input: ReinviteCustomerInput,
    @Ctx() ctx: Context,
  ): Promise<WorkflowPayload> {
    const id = workflowRowId(input.id);
    return id
      ? toPayload(
          await ctx.services.customerInvitations.reinvite(ctx.actor, {
            workflowRowId: id,
            customerTenantId: input.customerTenantId,
          }),
        )
      : notFound();
  }

  @Authorized()
  @Mutation(() => WorkflowPayload, {
    description:
      'Leaves a customer that has moved nothing out of the workflow (with the reason): its items are excluded, counted apart in `progress.excluded`, and a workflow whose only remaining items are excluded is COMPLETED. Refused for a customer already moving or moved, or unknown, and before the start (plan again without the customer). Needs GLOBAL_ADMIN or ADMIN_AGENT.',
  })
  async excludeFromWorkflow(
    @Arg('input', () => ExcludeFromWorkflowInput) input: ExcludeFromWorkflowInput,
    @Ctx() ctx: Context,
  ): Promise<WorkflowPayload> {
    const id = workflowRowId(input.id);
    return id
      ? toPayload(
          await ctx.services.customerInvitations.exclude(ctx.actor, {
            workflowRowId: id,
            customerTenantId: input.customerTenantId,
            reason: input.reason,
          }),
        )
      : notFound();
  }
}
