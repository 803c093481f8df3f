import { Arg, Authorized, ID, Resolver, Root, Subscription } from 'type-graphql';
import { type ApiContext } from '../api-context.js';
import { type WorkflowUpdatedEvent } from '../../app/pubsub.js';
import { NotFoundError } from '../../shared/errors.js';
import { Workflow } from './workflow.type.js';
import { CUSTOMER_READ_ROLES } from '../../shared/actor.js';
import { workflowUpdates } from './workflow-updated.stream.js';

@Resolver()
export class WorkflowUpdatedResolver {
  /**
   * Live progress of one workflow. Events of other organizations are dropped before the re-read;
   * the workflow is re-read (fresh loaders, organization check) once per burst of changes and sent
   * only when what a subscriber sees changed (see `workflowUpdates`).
   */
  @Authorized(...CUSTOMER_READ_ROLES)
  @Subscription(() => Workflow, {
    description:
      'Emits the workflow when something visible changed: status, completion, progress, blockers, items per status or the procedure’s data. Never twice in a row with the same state (`updatedAt` alone does not count).',
    subscribe: ({ args, context }: { args: { id: string }; context: ApiContext }) =>
      workflowUpdates(context, args.id, () => context.services.nodes.resolve(context, args.id)),
  })
  workflowUpdated(
    @Arg('id', () => ID, { description: 'Global id of the workflow.' }) _id: string,
    @Root() event: WorkflowUpdatedEvent,
  ): object {
    if (!event.workflow) {
      throw new NotFoundError('The workflow is no longer visible.');
    }
    return event.workflow;
  }
}
