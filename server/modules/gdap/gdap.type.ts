import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from '../../shared/scalars.js';
import { BasicUserError, UserError } from '../common/common.type.js';

@ObjectType('GdapRole', { description: 'An Entra built-in role a GDAP relationship grants.' })
export class GdapRole {
  @Field(() => String, { description: 'Role definition id (GUID), as Graph names it.' })
  id!: string;

  @Field(() => String, { nullable: true, description: 'Display name, when the role is known.' })
  name!: string | null;
}

@ObjectType('GdapAccessAssignmentTemplate', {
  description: 'A partner security group and the roles of the template it is given.',
})
export class GdapAccessAssignmentTemplate {
  @Field(() => String, { description: 'Object id (GUID) of the security group.' })
  securityGroupId!: string;

  @Field(() => [GdapRole], { description: 'Roles the group gets on each relationship.' })
  roles!: GdapRole[];
}

@ObjectType('GdapRoleTemplate', {
  description:
    "The organization's GDAP role template: what every GDAP relationship the procedures create with a customer holds (issue 15).",
})
export class GdapRoleTemplate {
  @Field(() => [GdapRole], { description: 'Roles of the relationship (least privilege).' })
  roles!: GdapRole[];

  @Field(() => String, { description: 'ISO 8601 duration in days (P1D..P730D).' })
  duration!: string;

  @Field(() => Boolean, {
    description:
      'Whether the relationship auto-extends by 180 days (never with Global Administrator).',
  })
  autoExtend!: boolean;

  @Field(() => [GdapAccessAssignmentTemplate], {
    description:
      "Security groups to assign. Empty: each partner tenant's Admin Agents group gets every role.",
  })
  accessAssignments!: GdapAccessAssignmentTemplate[];

  @Field(() => Boolean, { description: 'True while the organization has not set its own.' })
  isDefault!: boolean;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was last set.' })
  updatedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Who set it last (user id).' })
  updatedBy!: string | null;
}

@InputType('GdapAccessAssignmentInput', { description: 'A security group and its roles.' })
export class GdapAccessAssignmentInput {
  @Field(() => String, { description: 'Object id (GUID) of the partner security group.' })
  securityGroupId!: string;

  @Field(() => [String], { description: 'Roles (names or ids), each one of the template.' })
  roles!: string[];
}

@InputType('SetGdapRoleTemplateInput', { description: "The organization's GDAP role template." })
export class SetGdapRoleTemplateInput {
  @Field(() => [String], {
    description: 'Entra built-in roles by name (e.g. "License Administrator") or role id.',
  })
  roles!: string[];

  @Field(() => String, { description: 'ISO 8601 duration, P1D..P2Y (e.g. P730D).' })
  duration!: string;

  @Field(() => Boolean, { description: 'Auto-extend by 180 days (not with Global Administrator).' })
  autoExtend!: boolean;

  @Field(() => [GdapAccessAssignmentInput], {
    nullable: true,
    description: "Security groups to assign; none: each tenant's Admin Agents group.",
  })
  accessAssignments?: GdapAccessAssignmentInput[] | null;
}

@ObjectType('SetGdapRoleTemplatePayload', { description: 'The stored template, or why not.' })
export class SetGdapRoleTemplatePayload {
  @Field(() => GdapRoleTemplate, { nullable: true, description: 'The template now in force.' })
  template!: GdapRoleTemplate | null;

  @Field(() => [UserError], { description: 'Business failures; empty on success.' })
  userErrors!: BasicUserError[];
}

@ObjectType('GdapRelationship', {
  description:
    'A GDAP relationship of a partner tenant with a customer, read live from Microsoft Graph.',
})
export class GdapRelationship {
  @Field(() => String, { description: 'Graph id of the relationship.' })
  relationshipId!: string;

  @Field(() => String, { description: 'Display name (unique per partner tenant).' })
  displayName!: string;

  @Field(() => String, {
    description:
      'Graph status: created, approvalPending, active, expiring, expired, terminationRequested, terminated, …',
  })
  status!: string;

  @Field(() => [GdapRole], { description: 'Roles it grants.' })
  roles!: GdapRole[];

  @Field(() => String, { description: 'ISO 8601 duration.' })
  duration!: string;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the customer approved it.' })
  activatedAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it ends (or ended).' })
  endsAt!: Date | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Whole days until it ends (negative once ended); null without an end date.',
  })
  daysUntilEnd!: number | null;

  @Field(() => Boolean, { description: 'Whether it auto-extends by 180 days.' })
  autoExtend!: boolean;

  @Field(() => String, { nullable: true, description: 'Customer tenant id.' })
  customerTenantId!: string | null;

  @Field(() => String, { nullable: true, description: "Customer's display name in Graph." })
  customerName!: string | null;

  @Field(() => String, { description: 'Partner tenant id that holds it.' })
  partnerTenantId!: string;

  @Field(() => String, {
    nullable: true,
    description: "The customer's approval link, while it waits for approval.",
  })
  approvalUrl!: string | null;
}

export enum GdapAction {
  REUSE = 'REUSE',
  EXTEND = 'EXTEND',
  AWAIT = 'AWAIT',
  CREATE = 'CREATE',
}
registerEnumType(GdapAction, {
  name: 'GdapAction',
  description:
    'What the GDAP step does for a customer: reuse a covering relationship, turn on its auto-extension, wait for a pending request, or create one with the template.',
});

export enum GdapPhase {
  PLANNED = 'PLANNED',
  REQUESTED = 'REQUESTED',
  APPROVED = 'APPROVED',
  ASSIGNING = 'ASSIGNING',
  ACTIVE = 'ACTIVE',
  REJECTED = 'REJECTED',
  EXPIRED = 'EXPIRED',
  SKIPPED = 'SKIPPED',
}
registerEnumType(GdapPhase, { name: 'GdapPhase', description: 'Where the GDAP step stands.' });

@ObjectType('GdapStepAssignment', {
  description: 'An access assignment the GDAP step made or found.',
})
export class GdapStepAssignment {
  @Field(() => String, { description: 'Security group object id.' })
  securityGroupId!: string;

  @Field(() => String, { description: 'Graph id of the access assignment.' })
  assignmentId!: string;

  @Field(() => String, { description: 'pending, active, deleting, deleted or error.' })
  status!: string;
}

@ObjectType('GdapStep', {
  description: 'The GDAP step of a procedure for one customer (issue 15): plan and progress.',
})
export class GdapStep {
  @Field(() => GdapAction, { description: 'What the plan does (reuse / extend / create).' })
  action!: GdapAction;

  @Field(() => GdapPhase, { description: 'Where it stands.' })
  phase!: GdapPhase;

  @Field(() => String, { description: 'The plan for this customer, in words.' })
  reason!: string;

  @Field(() => String, { description: 'Partner tenant id that gets admin access.' })
  partnerTenantId!: string;

  @Field(() => String, { nullable: true, description: 'Graph id of the relationship.' })
  relationshipId!: string | null;

  @Field(() => String, { nullable: true, description: 'Its display name.' })
  displayName!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The customer's approval link (send it with the reseller invitation).",
  })
  approvalUrl!: string | null;

  @Field(() => String, { nullable: true, description: 'Last Graph status seen.' })
  status!: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the relationship ends.' })
  endsAt!: Date | null;

  @Field(() => [GdapStepAssignment], { description: 'Access assignments made or found.' })
  assignments!: GdapStepAssignment[];

  @Field(() => String, { nullable: true, description: 'Why it is blocked (rejected, expired).' })
  error!: string | null;
}
