import {
  Arg,
  Args,
  ArgsType,
  Authorized,
  Ctx,
  Field,
  Int,
  Mutation,
  Query,
  Resolver,
} from 'type-graphql';
import { type ApiContext } from '../api-context.js';
import { checkGlobalId, workflowIdSpec } from '../../shared/input-validation.js';
import { type Result } from '../../shared/result.js';
import {
  BasicUserError,
  createConnectionType,
  type ConnectionShape,
} from '../common/common.type.js';
import { Workflow, WorkflowKind, WorkflowStatus } from '../workflow-core/workflow.type.js';
import { type WorkflowRow } from '../../workflows/engine/engine.types.js';
import { toWorkflowObject, workflowTypeNames } from './workflow.mapper.js';
import { WorkflowIdInput, WorkflowPayload } from './workflow-objects.type.js';
import { CUSTOMER_READ_ROLES } from '../../shared/actor.js';

export const WorkflowConnection = createConnectionType('Workflow', () => Workflow, {
  description: 'A page of workflows, newest first.',
});

@ArgsType()
class WorkflowsArgs {
  @Field(() => WorkflowKind, { nullable: true, description: 'Only workflows of this procedure.' })
  kind?: WorkflowKind | null;

  @Field(() => WorkflowStatus, { nullable: true, description: 'Only workflows in this status.' })
  status?: WorkflowStatus | null;

  @Field(() => Int, { nullable: true, description: 'Page size, 1–100 (default 50).' })
  first?: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Cursor after which the page starts (`endCursor`).',
  })
  after?: string | null;
}

/**
 * The workflow row id inside a global workflow id of any kind, or null. The decoded part is
 * re-checked (a plain row key): a decoded id is still caller input (issue 17).
 */
export function workflowRowId(globalId: string): string | null {
  const checked = checkGlobalId(globalId, [], workflowIdSpec(workflowTypeNames()));
  return checked.ok ? (checked.value.parts[0] as string) : null;
}

/** Maps a service result to a payload: the workflow, or its business failure as a user error. */
export function toPayload(result: Result<WorkflowRow>): WorkflowPayload {
  return result.ok
    ? { workflow: toWorkflowObject(result.value) as Workflow, userErrors: [] }
    : { workflow: null, userErrors: [BasicUserError.from(result.error)] };
}

const notFound = (): WorkflowPayload => ({
  workflow: null,
  userErrors: [
    BasicUserError.from({
      code: 'NOT_FOUND',
      message: 'No such workflow.',
      field: ['input', 'id'],
    }),
  ],
});

@Resolver()
export class WorkflowResolver {
  @Authorized(...CUSTOMER_READ_ROLES)
  @Query(() => WorkflowConnection, { description: "The organization's workflows, newest first." })
  async workflows(
    @Args(() => WorkflowsArgs) args: WorkflowsArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<ConnectionShape<Workflow>> {
    const page = await ctx.services.workflowQueries.list(
      ctx.actor,
      { kind: args.kind, status: args.status },
      args,
    );
    return {
      ...page,
      edges: page.edges.map((e) => ({
        cursor: e.cursor,
        node: toWorkflowObject(e.node) as Workflow,
      })),
    };
  }

  @Authorized()
  @Mutation(() => WorkflowPayload, {
    description:
      'Starts a planned workflow; refused while workflow-level blockers remain. Needs GLOBAL_ADMIN or ADMIN_AGENT (R-CON-10).',
  })
  async startWorkflow(
    @Arg('input', () => WorkflowIdInput) input: WorkflowIdInput,
    @Ctx() ctx: ApiContext,
  ): Promise<WorkflowPayload> {
    const id = workflowRowId(input.id);
    return id ? toPayload(await ctx.services.workflows.start(ctx.actor, id)) : notFound();
  }

  @Authorized()
  @Mutation(() => WorkflowPayload, {
    description:
      'Cancels a workflow; refused once irreversible steps ran (R-CON-8). Needs GLOBAL_ADMIN or ADMIN_AGENT.',
  })
  async cancelWorkflow(
    @Arg('input', () => WorkflowIdInput) input: WorkflowIdInput,
    @Ctx() ctx: ApiContext,
  ): Promise<WorkflowPayload> {
    const id = workflowRowId(input.id);
    return id ? toPayload(await ctx.services.workflows.cancel(ctx.actor, id)) : notFound();
  }

  @Authorized()
  @Mutation(() => WorkflowPayload, {
    description:
      'Runs the failed steps of failed items again; nothing that succeeded is redone (R-AZP-9). Needs GLOBAL_ADMIN or ADMIN_AGENT.',
  })
  async retryWorkflow(
    @Arg('input', () => WorkflowIdInput) input: WorkflowIdInput,
    @Ctx() ctx: ApiContext,
  ): Promise<WorkflowPayload> {
    const id = workflowRowId(input.id);
    return id ? toPayload(await ctx.services.workflows.retry(ctx.actor, id)) : notFound();
  }
}
