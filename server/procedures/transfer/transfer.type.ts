import { WorkflowObject } from '../../modules/workflows/workflow-object.type.js';
import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from '../../shared/scalars.js';
import { BasicUserError, Node, UserError } from '../../modules/common/common.type.js';
import { Workflow, WorkflowKind } from '../../modules/workflow-core/workflow.type.js';
import { PostalAddressInput } from './transfer-address.type.js';

export enum TransferParty {
  CURRENT_PARTNER = 'CURRENT_PARTNER',
  CUSTOMER = 'CUSTOMER',
  NEW_PARTNER = 'NEW_PARTNER',
}
registerEnumType(TransferParty, {
  name: 'TransferParty',
  description: 'The three signatories of the CSP Subscription Transfer form (R-TRF-4/5).',
  valuesConfig: {
    CURRENT_PARTNER: { description: 'The partner of record, who opens the ticket (R-TRF-4).' },
    CUSTOMER: { description: 'The customer, through its signing link (R-TRF-5).' },
    NEW_PARTNER: { description: 'The partner the subscription moves to (R-TRF-5).' },
  },
});

export enum TransferDirection {
  OUTGOING = 'OUTGOING',
  INCOMING = 'INCOMING',
}
registerEnumType(TransferDirection, {
  name: 'TransferDirection',
  description: "Whether the caller's organization gives or receives the subscription.",
  valuesConfig: {
    OUTGOING: { description: 'Your organization is the current partner (it runs the transfer).' },
    INCOMING: { description: 'Your organization is the new partner (read-only view).' },
  },
});

@ObjectType('ContactInfo', { description: 'A person to contact.' })
export class ContactInfo {
  @Field(() => String, { description: 'Full name.' })
  name!: string;

  @Field(() => String, { description: 'Email address.' })
  email!: string;

  @Field(() => String, { nullable: true, description: 'Phone number, when given.' })
  phone!: string | null;
}

@ObjectType('TransferSignature', { description: 'One signature on the transfer form.' })
export class TransferSignature {
  @Field(() => TransferParty, { description: 'Who signed.' })
  party!: TransferParty;

  @Field(() => String, { description: "The signer's name." })
  signerName!: string;

  @Field(() => DateTimeScalar, { description: 'When.' })
  signedAt!: Date;
}

@ObjectType('SigningLink', {
  description:
    'A single-use, expiring link through which the customer or the new partner signs without an account. GET the url for an HTML page with the form and a sign button; POST it JSON {"signerName", "signerEmail"} to sign.',
})
export class SigningLink {
  @Field(() => TransferParty, { description: 'Whose signature the link collects.' })
  party!: TransferParty;

  @Field(() => String, {
    description: 'The link (it carries its secret token: share it only with that party).',
  })
  url!: string;

  @Field(() => DateTimeScalar, { description: 'After this the link no longer signs.' })
  expiresAt!: Date;

  @Field(() => Boolean, { description: 'Whether it was used (each link signs once).' })
  used!: boolean;
}

@ObjectType('TransferForm', {
  description:
    'The CSP Subscription Transfer form (R-TRF-4/5/7): its data, PDF and three signatures.',
})
export class TransferForm {
  @Field(() => [TransferSignature], { description: 'Signatures so far.' })
  signatures!: TransferSignature[];

  @Field(() => Boolean, {
    description: 'All three parties signed (only then is it attached, R-TRF-7).',
  })
  complete!: boolean;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'When it was attached to the support ticket.',
  })
  attachedAt!: Date | null;

  @Field(() => [ContactInfo], {
    description: 'The two partner administrators support contacts (R-TRF-7).',
  })
  partnerAdmins!: ContactInfo[];

  @Field(() => String, { description: 'The filled form as a PDF, GET-able with the bearer token.' })
  pdfUrl!: string;

  @Field(() => [SigningLink], {
    description:
      'Links for CUSTOMER and NEW_PARTNER; shown to GLOBAL_ADMIN/ADMIN_AGENT of the owning organization only (empty for anyone else).',
  })
  signingLinks!: SigningLink[];
}

@ObjectType('SubscriptionTransfer', {
  implements: [Node, Workflow],
  description:
    'Azure subscription transfer to another CSP partner (R-TRF-1..8): support ticket, three-party signed form, 8-business-hour answer, access clean-up.',
})
export class SubscriptionTransfer extends WorkflowObject implements Workflow {
  @Field(() => WorkflowKind, { description: 'Always SUBSCRIPTION_TRANSFER.' })
  kind!: WorkflowKind;
}

@InputType('ContactInput', { description: 'A person to contact.' })
export class ContactInput {
  @Field(() => String, { description: 'Full name.' })
  name!: string;

  @Field(() => String, { description: 'Email address.' })
  email!: string;

  @Field(() => String, { nullable: true, description: 'Phone number.' })
  phone?: string | null;
}

@InputType('PlanSubscriptionTransferInput', {
  description: 'The customer’s written request to move one Azure subscription to another partner.',
})
export class PlanSubscriptionTransferInput {
  @Field(() => ID, { description: 'Global id of the CustomerSubscription to transfer.' })
  subscriptionId!: string;

  @Field(() => String, { description: "The new partner's tenant id (Microsoft ID)." })
  newPartnerTenantId!: string;

  @Field(() => String, { description: "The new partner's Partner ID (MPN id)." })
  newPartnerMpnId!: string;

  @Field(() => DateTimeScalar, {
    description: "When the customer's written request was received (R-TRF-2).",
  })
  customerRequestReceivedAt!: Date;

  @Field(() => String, {
    nullable: true,
    description: "A reference to the customer's written request (document id, mail id, file name).",
  })
  customerRequestReference?: string | null;

  @Field(() => [ContactInput], { description: 'Exactly two partner administrators (R-TRF-7).' })
  partnerAdmins!: ContactInput[];

  @Field(() => String, {
    nullable: true,
    description:
      "The new partner's organization name as it wants it on the form (R-TRF-5; a new partner served here is named from the directory).",
  })
  newPartnerOrganizationName?: string | null;

  @Field(() => ContactInput, {
    nullable: true,
    description: "The new partner's contact person on the form (R-TRF-5).",
  })
  newPartnerContact?: ContactInput | null;

  @Field(() => PostalAddressInput, {
    nullable: true,
    description: "The new partner's address on the form (R-TRF-5).",
  })
  newPartnerAddress?: PostalAddressInput | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'R-TRF-5, for a new partner not served here (its Partner Center cannot be read): true when the customer has an agreement in place at the new partner. Without it the plan has the blocker NEW_PARTNER_AGREEMENT_UNCONFIRMED (give it later with updateTransferNewPartner). For a new partner served here the agreement is read in Partner Center and this is ignored.',
  })
  newPartnerAgreementConfirmed?: boolean | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Same key and same input return the same workflow; same key and another input is refused.',
  })
  idempotencyKey?: string | null;
}

@InputType('SignTransferFormInput', {
  description: 'A signature on the transfer form through the API.',
})
export class SignTransferFormInput {
  @Field(() => ID, { nullable: true, description: 'Global id of the SubscriptionTransfer.' })
  workflowId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Global id of the SubscriptionTransfer (former name of workflowId).',
    deprecationReason: 'Use workflowId, the name every input uses for a workflow id.',
  })
  transferId?: string | null;

  @Field(() => TransferParty, {
    description:
      'CURRENT_PARTNER (the owning organization) or NEW_PARTNER (its organization, when served here); the customer signs through its link.',
  })
  party!: TransferParty;

  @Field(() => String, { description: "The signer's name." })
  signerName!: string;

  @Field(() => String, { description: "The signer's email." })
  signerEmail!: string;
}

@InputType('ConfirmTransferCleanupInput', {
  description:
    "Confirms that the new partner (not served here) removed the old partner's role assignments (R-TRF-8).",
})
export class ConfirmTransferCleanupInput {
  @Field(() => ID, { nullable: true, description: 'Global id of the SubscriptionTransfer.' })
  workflowId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Global id of the SubscriptionTransfer (former name of workflowId).',
    deprecationReason: 'Use workflowId, the name every input uses for a workflow id.',
  })
  transferId?: string | null;
}

@InputType('ReissueSigningLinkInput', {
  description: 'A new signing link for a party that has not signed (the old link stops working).',
})
export class ReissueSigningLinkInput {
  @Field(() => ID, { nullable: true, description: 'Global id of the SubscriptionTransfer.' })
  workflowId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Global id of the SubscriptionTransfer (former name of workflowId).',
    deprecationReason: 'Use workflowId, the name every input uses for a workflow id.',
  })
  transferId?: string | null;

  @Field(() => TransferParty, { description: 'CUSTOMER or NEW_PARTNER.' })
  party!: TransferParty;
}

@ObjectType('ReissueSigningLinkPayload', {
  description: 'The new signing link, or why none was issued.',
})
export class ReissueSigningLinkPayload {
  @Field(() => SigningLink, {
    nullable: true,
    description: 'The new link (share it only with that party); the previous one no longer signs.',
  })
  signingLink!: SigningLink | null;

  @Field(() => Workflow, { nullable: true, description: 'The transfer.' })
  workflow!: Workflow | null;

  @Field(() => [UserError], { description: 'Business failures; empty on success.' })
  userErrors!: BasicUserError[];
}

@InputType('PlanIncomingAzurePlanTransferInput', {
  description:
    'Our tenant is the NEW partner of a customer whose Azure plan is at another partner not served here (issue 15 item 3, partner-center-api.md §11): we create the transfer request, the other partner accepts it.',
})
export class PlanIncomingAzurePlanTransferInput {
  @Field(() => ID, {
    description: 'Global id of our PartnerTenant that becomes the partner of the Azure plan.',
  })
  partnerTenantId!: string;

  @Field(() => String, { description: "The customer's tenant id." })
  customerTenantId!: string;

  @Field(() => String, {
    description: "The current partner's tenant id (Microsoft ID), the source of the transfer.",
  })
  currentPartnerTenantId!: string;

  @Field(() => String, {
    nullable: true,
    description:
      "The current partner's name as Partner Center's request carries it (sourcePartnerName); default `partner <tenant id>`.",
  })
  currentPartnerName?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Same key and same input return the same workflow; same key and another input is refused.',
  })
  idempotencyKey?: string | null;
}
