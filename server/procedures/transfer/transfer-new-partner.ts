import { type PartnerCenterClientFactory } from '../../partner-center/client-factory.js';
import { PartnerCenterError } from '../../partner-center/errors.js';
import { err, ok, type DomainError, type Result } from '../../shared/result.js';
import { checkEmail, checkPhone, checkText } from '../../shared/input-validation.js';
import { isIsoCountry, TEXT_LIMITS } from '../../shared/validation.js';
import { type NewBlocker } from '../../workflows/engine/engine.types.js';
import {
  type Contact,
  type NewPartnerAgreement,
  type PostalAddress,
  type TransferData,
} from './transfer.model.js';

/**
 * R-TRF-5: "the customer and the new partner check the form, add the new partner's details and
 * sign, check that the new customer has an agreement in place". The new partner's details are
 * validated here; the agreement is checked here.
 *
 * How we know the agreement is in place (issue 16 item 6): Partner Center lists a customer's
 * agreements at `GET /v1/customers/{id}/agreements` (reference §4) to a partner with a relationship
 * with the customer. When this server serves the new partner, we read it with the new partner's
 * credentials: a Microsoft Customer Agreement (or the older Microsoft Cloud Agreement) listed there
 * is the agreement in place; none is a blocker (NEW_PARTNER_NO_CUSTOMER_AGREEMENT). The MCA is
 * between Microsoft and the customer, so an acceptance attested by another partner counts
 * (the emulator lists every agreement of the customer; a documented guess). When the new partner
 * is another organization's tenant, we have no credentials for it: the operator confirms the
 * agreement (`newPartnerAgreementConfirmed`, at planning or later with updateTransferNewPartner)
 * and the transfer is blocked until then (NEW_PARTNER_AGREEMENT_UNCONFIRMED).
 */

export const NO_AGREEMENT = 'NEW_PARTNER_NO_CUSTOMER_AGREEMENT';
export const AGREEMENT_UNCONFIRMED = 'NEW_PARTNER_AGREEMENT_UNCONFIRMED';

/** Bounds of the new partner's address fields (Partner Center's address lengths, rounded up). */
export const ADDRESS_LIMITS = {
  line: 200,
  city: 100,
  postalCode: 20,
  region: 100,
  organizationName: 200,
} as const;

export interface NewPartnerDetailsInput {
  organizationName?: string | null;
  contact?: { name: string; email: string; phone?: string | null } | null;
  address?: {
    addressLine1: string;
    addressLine2?: string | null;
    city: string;
    postalCode?: string | null;
    region?: string | null;
    country: string;
  } | null;
}

/** Where planSubscriptionTransfer takes the new partner's details. */
export const PLAN_FIELDS = {
  organizationName: 'newPartnerOrganizationName',
  contact: 'newPartnerContact',
  address: 'newPartnerAddress',
};

export interface NewPartnerDetails {
  organizationName: string | null;
  contact: Contact | null;
  address: PostalAddress | null;
}

/** One line of plain text (the shared input rule: no controls, no bidi overrides), trimmed. */
function text(
  value: string | null | undefined,
  field: string[],
  max: number,
  required: boolean,
): Result<string | null> {
  return checkText(value, field, { label: `The new partner's ${field.at(-1)}`, max, required });
}

/** Checks the new partner's details; `base` is where they sit in the input (`['input']`). */
export function validateNewPartnerDetails(
  input: NewPartnerDetailsInput,
  base: string[],
  names: { organizationName: string; contact: string; address: string },
): Result<NewPartnerDetails> {
  const results: Array<Result<unknown>> = [];
  const take = <T>(r: Result<T>): T | null => {
    results.push(r);
    return r.ok ? r.value : null;
  };
  const organizationName = take(
    text(
      input.organizationName,
      [...base, names.organizationName],
      ADDRESS_LIMITS.organizationName,
      false,
    ),
  );
  let contact: Contact | null = null;
  if (input.contact) {
    const at = [...base, names.contact];
    const name = take(text(input.contact.name, [...at, 'name'], TEXT_LIMITS.name, true));
    const email = take(checkEmail(input.contact.email, [...at, 'email'], "The contact's email"));
    const phone = take(checkPhone(input.contact.phone, [...at, 'phone'], "The contact's phone"));
    contact = { name: name ?? '', email: email ?? '', phone };
  }
  let address: PostalAddress | null = null;
  if (input.address) {
    const at = [...base, names.address];
    const a = input.address;
    const country = (a.country ?? '').trim().toUpperCase();
    if (!isIsoCountry(country)) {
      results.push(
        err({
          code: 'INVALID_COUNTRY',
          message:
            "The new partner's country must be an ISO 3166 country code (two letters, e.g. GB).",
          field: [...at, 'country'],
        }),
      );
    }
    address = {
      addressLine1: take(text(a.addressLine1, [...at, 'addressLine1'], ADDRESS_LIMITS.line, true)),
      addressLine2: take(text(a.addressLine2, [...at, 'addressLine2'], ADDRESS_LIMITS.line, false)),
      city: take(text(a.city, [...at, 'city'], ADDRESS_LIMITS.city, true)),
      postalCode: take(text(a.postalCode, [...at, 'postalCode'], ADDRESS_LIMITS.postalCode, false)),
      region: take(text(a.region, [...at, 'region'], ADDRESS_LIMITS.region, false)),
      country,
    };
  }
  const failed = results.find((r): r is { ok: false; error: DomainError } => !r.ok);
  return failed ? failed : ok({ organizationName, contact, address });
}

/**
 * Reads the customer's agreements with the new partner's credentials (served here). UNREADABLE
 * when the new partner has no relationship with the customer (404: NO_RESELLER_RELATIONSHIP says
 * so already) or Partner Center refuses the read.
 */
export async function readNewPartnerAgreement(
  clients: PartnerCenterClientFactory,
  newPartnerTenantId: string,
  customerTenantId: string,
  at: string,
): Promise<NewPartnerAgreement> {
  try {
    const agreements = await clients
      .forTenant(newPartnerTenantId)
      .listCustomerAgreements(customerTenantId, undefined);
    const found =
      agreements.find((a) => a.type === 'MicrosoftCustomerAgreement') ??
      agreements.find((a) => a.type === 'MicrosoftCloudAgreement');
    return {
      status: found ? 'IN_PLACE' : 'MISSING',
      type: found?.type ?? null,
      dateAgreed: found?.dateAgreed ?? null,
      checkedAt: at,
      confirmedBy: null,
    };
  } catch (error) {
    if (!(error instanceof PartnerCenterError) || error.retryable) {
      throw error;
    }
    return { status: 'UNREADABLE', type: null, dateAgreed: null, checkedAt: at, confirmedBy: null };
  }
}

/** The agreement of a new partner not served here: what the operator said. */
export function confirmedAgreement(
  confirmed: boolean,
  by: string | null,
  at: string,
): NewPartnerAgreement {
  return {
    status: confirmed ? 'CONFIRMED' : 'UNCONFIRMED',
    type: null,
    dateAgreed: null,
    checkedAt: at,
    confirmedBy: confirmed ? by : null,
  };
}

/**
 * The agreement at planning: read in Partner Center for a new partner served here, the operator's
 * confirmation otherwise. An indirect reseller as new partner is blocked anyway (R-TRF-6) and has
 * no agreement of its own to read.
 */
export async function planAgreement(
  clients: PartnerCenterClientFactory,
  o: {
    served: boolean;
    indirectReseller: boolean;
    newPartnerTenantId: string;
    customerTenantId: string;
    confirmed: boolean;
    by: string;
    at: string;
  },
): Promise<NewPartnerAgreement> {
  if (o.served && o.indirectReseller) {
    return {
      status: 'UNREADABLE',
      type: null,
      dateAgreed: null,
      checkedAt: o.at,
      confirmedBy: null,
    };
  }
  return o.served
    ? readNewPartnerAgreement(clients, o.newPartnerTenantId, o.customerTenantId, o.at)
    : confirmedAgreement(o.confirmed, o.by, o.at);
}

/** The blocker an agreement state gives, if any (workflow-level: it stops startWorkflow). */
export function agreementBlocker(
  agreement: NewPartnerAgreement,
  names: { newPartner: string; customer: string },
): NewBlocker | null {
  if (agreement.status === 'MISSING') {
    return {
      code: NO_AGREEMENT,
      message: `${names.customer} has no Microsoft Customer Agreement that ${names.newPartner} can see in Partner Center (GET /v1/customers/{id}/agreements); the customer must accept it at the new partner before the transfer (R-TRF-5). Once it has, run updateTransferNewPartner to check again.`,
    };
  }
  if (agreement.status === 'UNCONFIRMED') {
    return {
      code: AGREEMENT_UNCONFIRMED,
      message: `${names.newPartner} is not served here, so the customer's agreement with it cannot be checked in Partner Center; confirm that ${names.customer} has an agreement in place at the new partner (newPartnerAgreementConfirmed, or updateTransferNewPartner) before the transfer (R-TRF-5).`,
    };
  }
  return null;
}

/** The form's rows for the new partner (R-TRF-5), for the PDF and the signing page. */
export function newPartnerRows(np: TransferData['newPartner']): Array<[string, string]> {
  const contact = np.contact
    ? [np.contact.name, np.contact.email, np.contact.phone].filter(Boolean).join(', ')
    : '(to be given by the new partner)';
  const a = np.address;
  const address = a
    ? [
        a.addressLine1,
        a.addressLine2,
        [a.postalCode, a.city].filter(Boolean).join(' '),
        a.region,
        a.country,
      ]
        .filter((p) => p && p.trim() !== '')
        .join(', ')
    : '(to be given by the new partner)';
  const agreement = np.agreement;
  const agreementText = !agreement
    ? 'not checked'
    : agreement.status === 'IN_PLACE'
      ? `${agreement.type ?? 'agreement'} in place${agreement.dateAgreed ? ` (accepted ${agreement.dateAgreed.slice(0, 10)})` : ''}, checked in Partner Center`
      : agreement.status === 'CONFIRMED'
        ? `confirmed${agreement.confirmedBy ? ` by ${agreement.confirmedBy}` : ''}`
        : agreement.status === 'MISSING'
          ? 'NONE in Partner Center'
          : agreement.status === 'UNREADABLE'
            ? 'could not be read in Partner Center'
            : 'NOT CONFIRMED';
  return [
    ['Organization name', np.name ?? np.organizationName ?? '(to be confirmed by the new partner)'],
    ['Microsoft ID', np.tenantId],
    ['Partner ID (MPN)', np.mpnId],
    ['Address', address],
    ['Contact', contact],
    ['Customer agreement', agreementText],
  ];
}
