import { Arg, Authorized, Ctx, ID, Resolver, Root, Subscription } from 'type-graphql';
import { type ApiContext } from '../api-context.js';
import { WORKFLOW_UPDATED_TOPIC, type WorkflowUpdatedEvent } from '../../app/pubsub.js';
import { NotFoundError } from '../../shared/errors.js';
import { Workflow } from './workflow.type.js';
import { CUSTOMER_READ_ROLES } from '../../shared/actor.js';

@Resolver()
export class WorkflowUpdatedResolver {
  /**
   * Live progress of one workflow. Events of other organizations are filtered out before they reach
   * the resolver, and the workflow is re-read (fresh loaders, organization check) on every event.
   */
  @Authorized(...CUSTOMER_READ_ROLES)
  @Subscription(() => Workflow, {
    description: 'Emits the workflow each time it changes (status, progress, blockers, events).',
    topics: WORKFLOW_UPDATED_TOPIC,
    filter: ({
      payload,
      args,
      context,
    }: {
      payload: WorkflowUpdatedEvent;
      args: { id: string };
      context: ApiContext;
    }) => payload.id === args.id && payload.organizationId === context.actor.organizationId,
  })
  async workflowUpdated(
    @Arg('id', () => ID, { description: 'Global id of the workflow.' }) _id: string,
    @Root() event: WorkflowUpdatedEvent,
    @Ctx() ctx: ApiContext,
  ): Promise<object> {
    if (event.workflow) {
      return event.workflow;
    }
    ctx.refreshLoaders();
    const workflow = await ctx.services.nodes.resolve(ctx, event.id);
    if (!workflow) {
      throw new NotFoundError('The workflow is no longer visible.');
    }
    return workflow;
  }
}
