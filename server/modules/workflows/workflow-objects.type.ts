import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { BasicUserError, UserError } from '../common/common.type.js';
import { Workflow } from '../workflow-core/workflow.type.js';

@InputType('WorkflowIdInput', { description: 'Names one workflow.' })
export class WorkflowIdInput {
  @Field(() => ID, { description: 'Global id of the workflow.' })
  id!: string;
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
