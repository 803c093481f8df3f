import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { type ApiContext } from '../api-context.js';
import { type WorkflowRow } from '../../workflows/engine/engine.types.js';
import { type ConnectionShape } from '../common/common.type.js';
import {
  Blocker,
  Workflow,
  WorkflowEventConnection,
  WorkflowPageArgs,
  WorkflowProgress,
  type WorkflowEvent,
} from '../workflow-core/workflow.type.js';
import { blockersOf, eventsOf, progressOf } from './workflow-fields.js';

type WorkflowObject = Workflow & { row: WorkflowRow };

/**
 * The computed fields of the Workflow interface. type-graphql applies interface field resolvers to
 * every implementation, so a new workflow type gets them without code of its own.
 */
@Resolver(() => Workflow)
export class WorkflowCommonResolver {
  @FieldResolver(() => WorkflowProgress, { description: 'Items done out of items planned.' })
  progress(@Root() wf: WorkflowObject, @Ctx() ctx: ApiContext): Promise<WorkflowProgress> {
    return progressOf(ctx, wf.row);
  }

  @FieldResolver(() => [Blocker], { description: 'Why something cannot proceed (also in DRAFT).' })
  blockers(@Root() wf: WorkflowObject, @Ctx() ctx: ApiContext): Promise<Blocker[]> {
    return blockersOf(ctx, wf.row);
  }

  @FieldResolver(() => WorkflowEventConnection, { description: 'The event journal, oldest first.' })
  events(
    @Root() wf: WorkflowObject,
    @Args(() => WorkflowPageArgs) args: WorkflowPageArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<ConnectionShape<WorkflowEvent>> {
    return eventsOf(ctx, wf.row, args);
  }
}
