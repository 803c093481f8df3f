import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from '../../shared/scalars.js';
import { ContactInfo, ContactInput } from './transfer.type.js';
import { PostalAddress, PostalAddressInput } from './transfer-address.type.js';

export enum TransferAgreementStatus {
  IN_PLACE = 'IN_PLACE',
  MISSING = 'MISSING',
  CONFIRMED = 'CONFIRMED',
  UNCONFIRMED = 'UNCONFIRMED',
  UNREADABLE = 'UNREADABLE',
}
registerEnumType(TransferAgreementStatus, {
  name: 'TransferAgreementStatus',
  description:
    "R-TRF-5: whether the customer has an agreement in place at the new partner. Read in Partner Center (GET /v1/customers/{id}/agreements with the new partner's credentials) when the new partner is served here; confirmed by an operator when it is not.",
  valuesConfig: {
    IN_PLACE: {
      description:
        'Partner Center lists a Microsoft Customer (or Cloud) Agreement to the new partner.',
    },
    MISSING: {
      description:
        'Partner Center lists no agreement to the new partner: blocker NEW_PARTNER_NO_CUSTOMER_AGREEMENT.',
    },
    CONFIRMED: { description: 'New partner not served here; an operator confirmed the agreement.' },
    UNCONFIRMED: {
      description:
        'New partner not served here and nobody confirmed the agreement yet: blocker NEW_PARTNER_AGREEMENT_UNCONFIRMED.',
    },
    UNREADABLE: {
      description:
        'Partner Center did not let the new partner read the customer (no relationship, or an indirect reseller); the other blockers say why.',
    },
  },
});

@ObjectType('TransferPartyDetails', {
  description: 'A partner as the CSP Subscription Transfer form names it (R-TRF-4/5).',
})
export class TransferPartyDetails {
  @Field(() => String, { description: 'Microsoft ID (tenant id).' })
  tenantId!: string;

  @Field(() => String, { description: 'Partner ID (MPN id).' })
  mpnId!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Organization name (null while the new partner has not given it).',
  })
  organizationName!: string | null;

  @Field(() => PostalAddress, { nullable: true, description: 'Address, when known.' })
  address!: PostalAddress | null;

  @Field(() => ContactInfo, { nullable: true, description: 'Contact person, when known.' })
  contact!: ContactInfo | null;
}

@ObjectType('TransferAgreementCheck', {
  description: "R-TRF-5: the customer's agreement at the new partner.",
})
export class TransferAgreementCheck {
  @Field(() => TransferAgreementStatus, { description: 'What was found or confirmed.' })
  status!: TransferAgreementStatus;

  @Field(() => String, {
    nullable: true,
    description: 'The agreement type Partner Center lists (MicrosoftCustomerAgreement, …).',
  })
  type!: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the customer accepted it.' })
  dateAgreed!: Date | null;

  @Field(() => DateTimeScalar, { description: 'When it was checked or confirmed.' })
  checkedAt!: Date;

  @Field(() => String, { nullable: true, description: 'Who confirmed it (CONFIRMED).' })
  confirmedBy!: string | null;
}

@InputType('UpdateTransferNewPartnerInput', {
  description:
    "The new partner's details on the form and the confirmation of the customer's agreement at the new partner (R-TRF-5). Fields left out stay as they are. Details can change until the first signature; the agreement is re-checked in Partner Center (new partner served here) or confirmed (not served here) while the transfer is a DRAFT.",
})
export class UpdateTransferNewPartnerInput {
  @Field(() => ID, { description: 'Global id of the SubscriptionTransfer.' })
  workflowId!: string;

  @Field(() => String, { nullable: true, description: "The new partner's organization name." })
  organizationName?: string | null;

  @Field(() => ContactInput, { nullable: true, description: "The new partner's contact person." })
  contact?: ContactInput | null;

  @Field(() => PostalAddressInput, { nullable: true, description: "The new partner's address." })
  address?: PostalAddressInput | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'true: the customer has an agreement in place at the new partner (new partner not served here). For a new partner served here, any value re-reads Partner Center instead (a confirmation cannot override what Partner Center shows).',
  })
  agreementConfirmed?: boolean | null;
}
