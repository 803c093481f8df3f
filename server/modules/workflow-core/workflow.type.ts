import {
  ArgsType,
  Field,
  ID,
  Int,
  InterfaceType,
  ObjectType,
  registerEnumType,
} from 'type-graphql';
import { DateTimeScalar } from '../../shared/scalars.js';
import { createConnectionType, Node, resolveTypeName } from '../common/common.type.js';
import { Customer } from '../customers/customer.type.js';
import { type BlockerCode } from '../../shared/error-codes.js';
import { type WorkflowEventType } from '../../shared/workflow-event-types.js';
import { BlockerCodeEnum, CODES_DOC_REFERENCE } from '../common/code-enums.type.js';
import { WorkflowEventTypeEnum } from './workflow-event-type.type.js';

// The workflow interface types of the contract. Concrete workflows (TenantConsolidation, …) are
// built by the workflow engine: `@ObjectType({ implements: [Node, Workflow] })`, and its module
// registers their node definitions. `Workflow.events(first, after)` is added there with a
// `@Resolver(() => Workflow)` field resolver (type-graphql puts interface field resolvers on every
// implementation).

export enum WorkflowKind {
  TENANT_CONSOLIDATION = 'TENANT_CONSOLIDATION',
  SUBSCRIPTION_TRANSFER = 'SUBSCRIPTION_TRANSFER',
  CHANNEL_MOVE = 'CHANNEL_MOVE',
  AZURE_PLAN_TRANSITION = 'AZURE_PLAN_TRANSITION',
}

export enum WorkflowStatus {
  DRAFT = 'DRAFT',
  RUNNING = 'RUNNING',
  WAITING = 'WAITING',
  COMPLETED = 'COMPLETED',
  FAILED = 'FAILED',
  CANCELED = 'CANCELED',
}

registerEnumType(WorkflowKind, {
  name: 'WorkflowKind',
  description: 'The Partner Center procedure a workflow runs.',
  valuesConfig: {
    TENANT_CONSOLIDATION: {
      description: 'Move customers from several partner tenants to one (R-CON-*).',
    },
    SUBSCRIPTION_TRANSFER: {
      description: 'Transfer an Azure subscription to another partner (R-TRF-*).',
    },
    CHANNEL_MOVE: { description: 'Bring license customers over from another channel (R-CHN-*).' },
    AZURE_PLAN_TRANSITION: {
      description: 'Move legacy Azure (MS-AZR-0145P) to an Azure plan (R-AZP-*).',
    },
  },
});

registerEnumType(WorkflowStatus, {
  name: 'WorkflowStatus',
  description: 'Lifecycle: DRAFT (planned) → RUNNING/WAITING → COMPLETED, FAILED or CANCELED.',
  valuesConfig: {
    DRAFT: { description: 'Planned (dry run); nothing changed in Partner Center yet.' },
    RUNNING: { description: 'Steps are running.' },
    WAITING: { description: 'Waiting for people or Microsoft; re-checked on an interval.' },
    COMPLETED: { description: 'Finished successfully.' },
    FAILED: { description: 'Stopped on a failure (see events and blockers).' },
    CANCELED: { description: 'Canceled before completion.' },
  },
});

@ObjectType('WorkflowProgress', { description: 'Items done out of items planned.' })
export class WorkflowProgress {
  @Field(() => Int, { description: 'Items finished (done, skipped or excluded).' })
  completed!: number;

  @Field(() => Int, { description: 'Items in the plan.' })
  total!: number;
}

@ObjectType('Blocker', {
  description:
    'Why something cannot proceed. A blocker naming a customer or a subject excludes that item only; one naming neither stops startWorkflow.',
})
export class Blocker {
  @Field(() => String, {
    description: `Machine-readable code (e.g. REGION_MISMATCH, NOTHING_TO_MOVE), stable across releases; the same value as \`codeEnum\`, as a string. ${CODES_DOC_REFERENCE}`,
  })
  code!: string;

  @Field(() => BlockerCodeEnum, { description: '`code` as the typed enum `BlockerCode`.' })
  codeEnum!: BlockerCode;

  @Field(() => String, { description: 'Human-readable explanation.' })
  message!: string;

  @Field(() => Customer, { nullable: true, description: 'The customer concerned, if any.' })
  customer!: Customer | null;

  @Field(() => String, {
    nullable: true,
    description: 'The item concerned (subscription id, offer id, plan line), if any.',
  })
  subject!: string | null;
}

@ObjectType('WorkflowEvent', { description: 'One entry of a workflow’s event journal.' })
export class WorkflowEvent {
  @Field(() => DateTimeScalar, { description: 'When it happened.' })
  at!: Date;

  @Field(() => String, {
    description:
      'Event type (e.g. PLANNED, WORKFLOW_STARTED, STEP_RETRY, STEP_FAILED, WORKFLOW_COMPLETED; procedures add their own such as TICKET_OPENED); the same value as `typeEnum`, as a string (it stays for events of types added after a client was generated).',
  })
  type!: string;

  @Field(() => WorkflowEventTypeEnum, {
    description: '`type` as the typed enum `WorkflowEventType` (every type and its meaning).',
  })
  typeEnum!: WorkflowEventType;

  @Field(() => String, { description: 'Human-readable description.' })
  message!: string;

  @Field(() => Customer, { nullable: true, description: 'The customer concerned, if any.' })
  customer!: Customer | null;

  @Field(() => String, {
    nullable: true,
    description: 'Partner Center subscription id concerned, if any.',
  })
  subscriptionId!: string | null;
}

export const WorkflowEventConnection = createConnectionType('WorkflowEvent', () => WorkflowEvent, {
  description: 'A page of workflow events, oldest first.',
});

@InterfaceType('Workflow', {
  implements: Node,
  description:
    'A Partner Center procedure run as a durable workflow: plan (DRAFT) → start → steps in the background → end.',
  resolveType: resolveTypeName,
})
export abstract class Workflow implements Node {
  @Field(() => ID, { description: 'Global, opaque id.' })
  id!: string;

  @Field(() => WorkflowKind, { description: 'The procedure.' })
  kind!: WorkflowKind;

  @Field(() => WorkflowStatus, { description: 'Current status.' })
  status!: WorkflowStatus;

  @Field(() => DateTimeScalar, { description: 'When it was planned.' })
  createdAt!: Date;

  @Field(() => DateTimeScalar, { description: 'Last change.' })
  updatedAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it reached an end state.' })
  completedAt!: Date | null;

  @Field(() => WorkflowProgress, { description: 'Items done out of items planned.' })
  progress!: WorkflowProgress;

  @Field(() => [Blocker], { description: 'Why something cannot proceed (also in DRAFT).' })
  blockers!: Blocker[];
}

/** Arguments of `Workflow.events` and other workflow connections. */
@ArgsType()
export class WorkflowPageArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, 1–100 (default 50).' })
  first?: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Cursor after which the page starts (`endCursor`).',
  })
  after?: string | null;
}
