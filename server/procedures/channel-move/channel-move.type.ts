import { WorkflowObject } from '../../modules/workflows/workflow-object.type.js';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from '../../shared/scalars.js';
import { Node } from '../../modules/common/common.type.js';
import { Customer } from '../../modules/customers/customer.type.js';
import { ExportFormat } from '../../modules/exports/export.type.js';
import { PartnerTenant } from '../../modules/organizations/organization.type.js';
import { CustomerSubscription } from '../../modules/subscriptions/subscription.type.js';
import { Workflow, WorkflowKind } from '../../modules/workflow-core/workflow.type.js';

export enum SourceChannel {
  ENTERPRISE_AGREEMENT = 'ENTERPRISE_AGREEMENT',
  OPEN = 'OPEN',
  WEB_DIRECT = 'WEB_DIRECT',
  OTHER_PARTNER = 'OTHER_PARTNER',
}
registerEnumType(SourceChannel, {
  name: 'SourceChannel',
  description: 'Where the customer bought its licenses before moving into CSP (R-CHN-*).',
  valuesConfig: {
    ENTERPRISE_AGREEMENT: { description: 'A Microsoft Enterprise Agreement.' },
    OPEN: { description: 'Microsoft Open licensing.' },
    WEB_DIRECT: {
      description:
        'Bought directly from Microsoft (Microsoft 365 admin center, monthly or annual); may be eligible for a credit through Microsoft 365 billing support (R-CHN-3).',
    },
    OTHER_PARTNER: { description: 'Another CSP partner (multi-partner customers).' },
  },
});

export enum RecommendedAction {
  LET_EXPIRE = 'LET_EXPIRE',
  CANCEL = 'CANCEL',
}
registerEnumType(RecommendedAction, {
  name: 'RecommendedAction',
  description: 'What the customer does with the original subscription (R-CHN-3).',
  valuesConfig: {
    LET_EXPIRE: {
      description:
        'Let it expire (recommended): the CSP subscription is ordered on the cut-over date, just before the natural expiry, and the original is not renewed.',
    },
    CANCEL: {
      description:
        'Cancel it as soon as the relationship is accepted (only when asked for): cancelled subscriptions are not refunded.',
    },
  },
});

export enum ChannelMoveLineState {
  PLANNED = 'PLANNED',
  SCHEDULED = 'SCHEDULED',
  ORDERED = 'ORDERED',
  DONE = 'DONE',
  BLOCKED = 'BLOCKED',
  FAILED = 'FAILED',
}
registerEnumType(ChannelMoveLineState, {
  name: 'ChannelMoveLineState',
  description: 'Where one license line of a channel move stands.',
  valuesConfig: {
    PLANNED: { description: 'Planned; waits for the reseller relationship (R-CHN-1).' },
    SCHEDULED: { description: 'Relationship accepted; waits for its cut-over date (R-CHN-3).' },
    ORDERED: { description: 'The CSP subscription is ordered; waiting for it to be active.' },
    DONE: { description: 'The CSP subscription is active with the same seats (R-CHN-2/4).' },
    BLOCKED: { description: 'Excluded by a blocker whose subject names this line.' },
    FAILED: { description: 'A step failed; see the events and `detail`.' },
  },
});

@ObjectType('ChannelMoveLine', {
  description:
    'One existing license of the customer and how it moves into CSP. Blockers of this line carry `Blocker.subject` = `subject`.',
})
export class ChannelMoveLine {
  @Field(() => Int, {
    description: 'Position in `licenses` (1-based), or the CSV line number (header = line 1).',
  })
  lineNumber!: number;

  @Field(() => String, {
    description: 'The `Blocker.subject` naming this line (`line:<lineNumber>`).',
  })
  subject!: string;

  @Field(() => String, { description: 'The offer the customer has today.' })
  sourceOfferId!: string;

  @Field(() => String, {
    nullable: true,
    description: "Its name in the partner's catalog, when the catalog knows it.",
  })
  sourceOfferName!: string | null;

  @Field(() => Int, { description: 'Seats today; the same seats are bought in CSP (R-CHN-2).' })
  seats!: number;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'Natural expiry of the original subscription (UTC).',
  })
  expiresOn!: Date | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The CSP offer ordered: the same offer when available (R-CHN-5), else its equivalent successor (R-CHN-6); null when there is none (blocked).',
  })
  targetOfferId!: string | null;

  @Field(() => String, { nullable: true, description: 'Name of the CSP offer.' })
  targetOfferName!: string | null;

  @Field(() => Boolean, {
    description:
      'The target is an equivalent successor, because the original offer is no longer available (R-CHN-6).',
  })
  equivalentOffer!: boolean;

  @Field(() => Boolean, {
    description:
      "Users' license assignments must be updated (different offer, R-CHN-6); false for the same offer (R-CHN-5).",
  })
  licenseReassignmentRequired!: boolean;

  @Field(() => RecommendedAction, {
    description:
      'LET_EXPIRE unless the caller asked to CANCEL (cancellations are not refunded, R-CHN-3).',
  })
  recommendedAction!: RecommendedAction;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description:
      'When the CSP subscription is ordered: 00:00 UTC `cutoverLeadDays` before `expiresOn` (LET_EXPIRE); null for CANCEL (as soon as the relationship is accepted).',
  })
  cutoverAt!: Date | null;

  @Field(() => [String], {
    description:
      'Warnings for the customer (R-CHN-3: no refund on cancel; Web Direct credit through Microsoft 365 billing support).',
  })
  warnings!: string[];

  @Field(() => ChannelMoveLineState, { description: 'Where the line stands.' })
  state!: ChannelMoveLineState;

  @Field(() => String, {
    nullable: true,
    description: 'Why the line waits (e.g. its cut-over date) or what went wrong.',
  })
  detail!: string | null;

  @Field(() => CustomerSubscription, {
    nullable: true,
    description: 'The CSP subscription once ordered (live from Partner Center when readable).',
  })
  target!: CustomerSubscription | null;
}

@ObjectType('ChannelMove', {
  implements: [Node, Workflow],
  description:
    'A license-based customer moving into CSP from another channel or partner (R-CHN-1..7): reseller relationship, then each license re-bought on its cut-over date.',
})
export class ChannelMove extends WorkflowObject implements Workflow {
  @Field(() => WorkflowKind, { description: 'Always CHANNEL_MOVE.' })
  kind!: WorkflowKind;

  @Field(() => Customer, {
    description:
      'The customer as the serving partner tenant will see it (name and domain from Partner Center once the relationship exists; the given name and country before).',
  })
  customer!: Customer;

  @Field(() => SourceChannel, { description: 'Where the licenses come from.' })
  sourceChannel!: SourceChannel;

  @Field(() => PartnerTenant, {
    description: 'The CSP partner tenant that will serve the customer.',
  })
  partnerTenant!: PartnerTenant;

  @Field(() => String, {
    nullable: true,
    description:
      'The reseller invitation URL to send to the customer’s global admin (R-CHN-1); null until requested or when a relationship already existed.',
  })
  invitationUrl!: string | null;

  @Field(() => Boolean, {
    description:
      'Whether the customer has accepted the reseller relationship (as seen by the workflow).',
  })
  relationshipAccepted!: boolean;

  @Field(() => Int, {
    description:
      'Days before the natural expiry on which LET_EXPIRE lines are ordered (00:00 UTC).',
  })
  cutoverLeadDays!: number;

  @Field(() => [ChannelMoveLine], { description: 'The license lines, in input order.' })
  lines!: ChannelMoveLine[];
}

// ---- inputs ----

@InputType('ExistingLicenseInput', { description: 'One license the customer has today.' })
export class ExistingLicenseInput {
  @Field(() => String, { description: 'Partner Center offer id of the license.' })
  offerId!: string;

  @Field(() => Int, { description: 'Seats (whole number > 0).' })
  seats!: number;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'Natural expiry (UTC). Needed for LET_EXPIRE: the cut-over is scheduled from it.',
  })
  expiresOn?: Date | null;

  @Field(() => RecommendedAction, {
    nullable: true,
    description:
      'LET_EXPIRE (default, recommended) or CANCEL to move at acceptance; cancelled subscriptions are not refunded (R-CHN-3).',
  })
  action?: RecommendedAction | null;
}

@InputType('PlanChannelMoveInput', {
  description:
    'The customer tenant, the CSP partner tenant that will serve it, the source channel and the existing licenses (inline or CSV).',
})
export class PlanChannelMoveInput {
  @Field(() => ID, { description: 'Global id of the partner tenant that will serve the customer.' })
  partnerTenantId!: string;

  @Field(() => String, { description: 'Entra ID tenant id (GUID) of the customer.' })
  customerTenantId!: string;

  @Field(() => SourceChannel, { description: 'Where the licenses come from.' })
  sourceChannel!: SourceChannel;

  @Field(() => [ExistingLicenseInput], {
    description: 'The existing licenses; leave empty when they come as `csv`.',
  })
  licenses!: ExistingLicenseInput[];

  @Field(() => String, {
    nullable: true,
    description:
      'ISO 3166-1 alpha-2 country of the customer tenant (e.g. "DE"); the plan needs it. The customer is not yet a customer of this partner, so Partner Center will not show it to us; the same-region rule (R-CHN-7) compares it with the partner tenant’s region. Nullable only so that a missing value is a userError (REQUIRED, field input.customerCountry) rather than a GraphQL validation error; an invalid one is INVALID_COUNTRY. Either way nothing is planned.',
  })
  customerCountry?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Company name to show until Partner Center shows the customer (after acceptance its company profile is used).',
  })
  customerName?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The licenses as CSV text instead of `licenses` (GraphQL uploads are off). UTF-8, comma-separated, RFC 4180 quoting, a header row with the columns `offerId` (required), `seats` (required, whole number > 0), `expiresOn` (optional, ISO-8601 date, UTC) and `action` (optional, LET_EXPIRE or CANCEL); column order and case are free, other columns are ignored, blank lines skipped. Bad rows are reported as userErrors naming the line number (field ["input","csv","<line>"]) and nothing is planned.',
  })
  csv?: string | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'LET_EXPIRE lines are ordered this many days before `expiresOn`, at 00:00 UTC (0–90, default 1).',
  })
  cutoverLeadDays?: number | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Same key and same input return the same workflow; same key and another input is refused.',
  })
  idempotencyKey?: string | null;
}

@InputType('ExportChannelMovePlanInput', {
  description: 'The move plan of a channel move, for the customer.',
})
export class ExportChannelMovePlanInput {
  @Field(() => ID, { description: 'Global id of the ChannelMove.' })
  workflowId!: string;

  @Field(() => ExportFormat, { description: 'CSV or XLSX.' })
  format!: ExportFormat;
}
