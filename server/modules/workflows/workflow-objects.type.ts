import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { BasicUserError, UserError } from '../common/common.type.js';
import { Workflow } from '../workflow-core/workflow.type.js';

@InputType('WorkflowIdInput', {
  description:
    'Names one workflow: give `workflowId` (the name every input uses for a workflow); `id` is its deprecated former name. Both given and different is refused (CONFLICTING_WORKFLOW_IDS).',
})
export class WorkflowIdInput {
  @Field(() => ID, { nullable: true, description: 'Global id of the workflow.' })
  workflowId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Global id of the workflow (former name of workflowId).',
    deprecationReason: 'Use workflowId, the name every input uses for a workflow id.',
  })
  id?: string | null;
}

@ObjectType('PlanWorkflowPayload', {
  description: 'The planned workflow (DRAFT), or why it could not be planned.',
})
export class PlanWorkflowPayload {
  @Field(() => Workflow, {
    nullable: true,
    description: 'The DRAFT workflow with its plan and blockers.',
  })
  workflow!: Workflow | null;

  @Field(() => [UserError], { description: 'Business failures; empty on success.' })
  userErrors!: BasicUserError[];
}

@ObjectType('WorkflowPayload', {
  description: 'The workflow after the change, or why the change was refused.',
})
export class WorkflowPayload {
  @Field(() => Workflow, { nullable: true, description: 'The workflow.' })
  workflow!: Workflow | null;

  @Field(() => [UserError], { description: 'Business failures; empty on success.' })
  userErrors!: BasicUserError[];
}
