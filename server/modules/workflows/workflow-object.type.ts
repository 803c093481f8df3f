import { Field, ID } from 'type-graphql';
import { DateTimeScalar } from '../../shared/scalars.js';
import { type WorkflowRow } from '../../workflows/engine/engine.types.js';
import {
  type Blocker,
  type Workflow,
  type WorkflowKind,
  type WorkflowProgress,
  WorkflowStatus,
} from '../workflow-core/workflow.type.js';

/**
 * The fields every procedure's workflow object declares (type-graphql's interfaces-inheritance
 * pattern: an abstract base, not in the schema). `kind` stays with each object type: its
 * description names the kind. `progress`, `blockers` and `events` come from
 * `WorkflowCommonResolver`; the stored row is never in the schema.
 */

export abstract class WorkflowObject implements Workflow {
  @Field(() => ID, { description: 'Global, opaque id.' })
  id!: string;

  abstract kind: WorkflowKind;

  @Field(() => WorkflowStatus, { description: 'Current status.' })
  status!: WorkflowStatus;

  @Field(() => DateTimeScalar, { description: 'When it was planned.' })
  createdAt!: Date;

  @Field(() => DateTimeScalar, { description: 'Last change.' })
  updatedAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it reached an end state.' })
  completedAt!: Date | null;

  progress!: WorkflowProgress;
  blockers!: Blocker[];

  /** The stored row; not in the schema. */
  row!: WorkflowRow;
}
