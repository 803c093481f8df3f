import { ADMINS } from './transfer.js';
import { type InputKind } from './hostile-inputs.js';

// Issue 17: every mutation of schema/schema.graphql with its id and text inputs, for the
// hostile-input property test (test/e2e/hostile-inputs.test.ts). A new mutation adds a row here
// (that test fails while a mutation of the schema has none); each input names its kind, and the
// kind's hostile values (test/support/hostile-inputs.ts) must be refused on that input's path.

export interface Valid {
  tenantGid: string;
  sourceGids: string[];
  customerGid: string;
  subscriptionGid: string;
  transferGid: string;
  newPartner: { tenantId: string; mpnId: string };
}

export interface InputField {
  /** Path inside `input` ("partnerAdmins.0.name"). */
  path: string;
  kind: InputKind;
  /** Text limit of the field (for the over-long values). */
  limit?: number;
  /** The userError's field when it is not ['input', ...path] (CSV lines). */
  field?: string[];
  /** Builds the input for a value when it does not go at `path` as is (CSV text). */
  place?: (base: Record<string, unknown>, value: string) => Record<string, unknown>;
}

export interface MutationRow {
  name: string;
  inputType: string;
  /** Selection of the payload besides userErrors. */
  select?: string;
  /** An input that would be accepted; each case replaces one field of it. */
  valid: (v: Valid) => Record<string, unknown>;
  fields: InputField[];
}

const WORKFLOW_COMMAND = (name: string): MutationRow => ({
  name,
  inputType: 'WorkflowIdInput',
  valid: (v) => ({ workflowId: v.transferGid }),
  fields: [{ path: 'workflowId', kind: 'id' }],
});

/** The new partner's details (R-TRF-5), under `newPartner…` (plan) or as they are (update). */
const NEW_PARTNER_DETAILS = (prefix: '' | 'newPartner') => {
  const key = (k: string) => (prefix ? `${prefix}${k[0]!.toUpperCase()}${k.slice(1)}` : k);
  return {
    [key('organizationName')]: 'Fabrikam Partners UK Ltd',
    [key('contact')]: {
      name: 'Tom Walsh',
      email: 'tom.walsh@fabrikam.example',
      phone: '+44 20 7946 0000',
    },
    [key('address')]: {
      addressLine1: '1 King Street',
      addressLine2: 'Floor 2',
      city: 'London',
      postalCode: 'EC2V 8AU',
      region: 'Greater London',
      country: 'GB',
    },
  };
};
const NEW_PARTNER_FIELDS = (prefix: '' | 'newPartner'): InputField[] => {
  const key = (k: string) => (prefix ? `${prefix}${k[0]!.toUpperCase()}${k.slice(1)}` : k);
  return [
    { path: key('organizationName'), kind: 'optionalText', limit: 200 },
    { path: `${key('contact')}.name`, kind: 'requiredText', limit: 200 },
    { path: `${key('contact')}.email`, kind: 'email' },
    { path: `${key('contact')}.phone`, kind: 'phone' },
    { path: `${key('address')}.addressLine1`, kind: 'requiredText', limit: 200 },
    { path: `${key('address')}.addressLine2`, kind: 'optionalText', limit: 200 },
    { path: `${key('address')}.city`, kind: 'requiredText', limit: 100 },
    { path: `${key('address')}.postalCode`, kind: 'optionalText', limit: 20 },
    { path: `${key('address')}.region`, kind: 'optionalText', limit: 100 },
  ];
};

/** Every mutation of schema/schema.graphql that takes an id or a text (all of them do). */
export const MUTATIONS: MutationRow[] = [
  WORKFLOW_COMMAND('startWorkflow'),
  WORKFLOW_COMMAND('cancelWorkflow'),
  WORKFLOW_COMMAND('retryWorkflow'),
  {
    name: 'confirmTransferCleanup',
    inputType: 'ConfirmTransferCleanupInput',
    valid: (v) => ({ workflowId: v.transferGid }),
    fields: [{ path: 'workflowId', kind: 'id' }],
  },
  {
    name: 'reissueSigningLink',
    inputType: 'ReissueSigningLinkInput',
    select: 'signingLink { url }',
    valid: (v) => ({ workflowId: v.transferGid, party: 'CUSTOMER' }),
    fields: [{ path: 'workflowId', kind: 'id' }],
  },
  {
    name: 'signTransferForm',
    inputType: 'SignTransferFormInput',
    valid: (v) => ({
      workflowId: v.transferGid,
      party: 'CURRENT_PARTNER',
      signerName: 'Jana Novak',
      signerEmail: 'jana.novak@contoso.example',
    }),
    fields: [
      { path: 'workflowId', kind: 'id' },
      { path: 'signerName', kind: 'requiredText', limit: 200 },
      { path: 'signerEmail', kind: 'email' },
    ],
  },
  {
    name: 'updateTransferNewPartner',
    inputType: 'UpdateTransferNewPartnerInput',
    valid: (v) => ({ workflowId: v.transferGid, ...NEW_PARTNER_DETAILS('') }),
    fields: [{ path: 'workflowId', kind: 'id' }, ...NEW_PARTNER_FIELDS('')],
  },
  {
    name: 'planSubscriptionTransfer',
    inputType: 'PlanSubscriptionTransferInput',
    valid: (v) => ({
      subscriptionId: v.subscriptionGid,
      newPartnerTenantId: v.newPartner.tenantId,
      newPartnerMpnId: v.newPartner.mpnId,
      customerRequestReceivedAt: '2026-01-02T10:00:00Z',
      customerRequestReference: 'letter 2026-017',
      partnerAdmins: ADMINS.map((a) => ({ ...a, phone: '+49 30 1234 5678' })),
      ...NEW_PARTNER_DETAILS('newPartner'),
    }),
    fields: [
      ...NEW_PARTNER_FIELDS('newPartner'),
      { path: 'subscriptionId', kind: 'id' },
      { path: 'newPartnerTenantId', kind: 'guid' },
      { path: 'newPartnerMpnId', kind: 'mpnId' },
      { path: 'customerRequestReference', kind: 'optionalText', limit: 500 },
      { path: 'partnerAdmins.0.name', kind: 'requiredText', limit: 200 },
      { path: 'partnerAdmins.1.email', kind: 'email' },
      { path: 'partnerAdmins.0.phone', kind: 'phone' },
      { path: 'idempotencyKey', kind: 'idempotencyKey' },
    ],
  },
  {
    name: 'planIncomingAzurePlanTransfer',
    inputType: 'PlanIncomingAzurePlanTransferInput',
    valid: (v) => ({
      partnerTenantId: v.tenantGid,
      customerTenantId: '76b7b8e1-647a-4a3c-9707-e51abdc5d62e',
      currentPartnerTenantId: v.newPartner.tenantId,
      currentPartnerName: 'Fabrikam Partners UK',
    }),
    fields: [
      { path: 'partnerTenantId', kind: 'id' },
      { path: 'customerTenantId', kind: 'guid' },
      { path: 'currentPartnerTenantId', kind: 'guid' },
      { path: 'currentPartnerName', kind: 'optionalText', limit: 200 },
      { path: 'idempotencyKey', kind: 'idempotencyKey' },
    ],
  },
  {
    name: 'setGdapRoleTemplate',
    inputType: 'SetGdapRoleTemplateInput',
    select: 'template { duration }',
    valid: () => ({
      roles: ['License Administrator', 'Directory Readers'],
      duration: 'P30D',
      autoExtend: false,
      accessAssignments: [
        {
          securityGroupId: '0b6e5f8a-1c2d-4e3f-8a9b-0c1d2e3f4a5b',
          roles: ['License Administrator'],
        },
      ],
    }),
    fields: [
      // Role names and durations are short tokens, checked against fixed lists.
      { path: 'roles.0', kind: 'offerId' },
      { path: 'duration', kind: 'offerId' },
      { path: 'accessAssignments.0.securityGroupId', kind: 'guid' },
      { path: 'accessAssignments.0.roles.0', kind: 'offerId' },
    ],
  },
  {
    name: 'planTenantConsolidation',
    inputType: 'PlanTenantConsolidationInput',
    valid: (v) => ({
      sourcePartnerTenantIds: v.sourceGids,
      targetPartnerTenantId: v.tenantGid,
    }),
    fields: [
      { path: 'sourcePartnerTenantIds.0', kind: 'id' },
      { path: 'targetPartnerTenantId', kind: 'id' },
      { path: 'customerIds.0', kind: 'id' },
      { path: 'idempotencyKey', kind: 'idempotencyKey' },
    ],
  },
  {
    name: 'planAzurePlanTransition',
    inputType: 'PlanAzurePlanTransitionInput',
    valid: (v) => ({ customerId: v.customerGid, budget: { amount: '5000', currency: 'EUR' } }),
    fields: [
      { path: 'customerId', kind: 'id' },
      { path: 'budget.amount', kind: 'amount' },
      { path: 'budget.currency', kind: 'currency' },
      { path: 'idempotencyKey', kind: 'idempotencyKey' },
    ],
  },
  {
    name: 'orderLegacyAzureSubscription',
    inputType: 'OrderLegacyAzureSubscriptionInput',
    select: 'subscription { subscriptionId }',
    valid: (v) => ({
      customerId: v.customerGid,
      resellerMpnId: '1234567',
      friendlyName: 'Legacy Azure',
    }),
    fields: [
      { path: 'customerId', kind: 'id' },
      { path: 'resellerMpnId', kind: 'mpnId' },
      { path: 'friendlyName', kind: 'nonBlankText', limit: 128 },
      { path: 'idempotencyKey', kind: 'idempotencyKey' },
    ],
  },
  {
    name: 'planChannelMove',
    inputType: 'PlanChannelMoveInput',
    valid: (v) => ({
      partnerTenantId: v.tenantGid,
      customerTenantId: '0b6e5f8a-1c2d-4e3f-8a9b-0c1d2e3f4a5b',
      customerCountry: 'DE',
      customerName: 'Nordlicht GmbH',
      sourceChannel: 'OTHER_PARTNER',
      licenses: [{ offerId: 'CFQ7TTC0LF8Q', seats: 5, expiresOn: '2026-03-01T00:00:00Z' }],
    }),
    fields: [
      { path: 'partnerTenantId', kind: 'id' },
      { path: 'customerTenantId', kind: 'guid' },
      { path: 'customerName', kind: 'optionalText', limit: 200 },
      { path: 'licenses.0.offerId', kind: 'offerId' },
      {
        path: 'csv',
        kind: 'csvOfferId',
        field: ['input', 'csv', '2'],
        place: (base, value) => ({ ...base, licenses: [], csv: `offerId,seats\n"${value}",5` }),
      },
      { path: 'idempotencyKey', kind: 'idempotencyKey' },
    ],
  },
  {
    name: 'exportConsolidationInventory',
    inputType: 'ExportConsolidationInventoryInput',
    select: 'export { url }',
    valid: (v) => ({ workflowId: v.transferGid, format: 'CSV' }),
    fields: [{ path: 'workflowId', kind: 'id' }],
  },
  {
    name: 'exportChannelMovePlan',
    inputType: 'ExportChannelMovePlanInput',
    select: 'export { url }',
    valid: (v) => ({ workflowId: v.transferGid, format: 'CSV' }),
    fields: [{ path: 'workflowId', kind: 'id' }],
  },
  {
    name: 'exportAzureReconciliation',
    inputType: 'ExportAzureReconciliationInput',
    select: 'export { url }',
    valid: (v) => ({ customerId: v.customerGid, format: 'CSV' }),
    fields: [{ path: 'customerId', kind: 'id' }],
  },
  {
    name: 'exportCustomers',
    inputType: 'ExportCustomersInput',
    select: 'export { url }',
    valid: (v) => ({ partnerTenantId: v.tenantGid, format: 'CSV' }),
    fields: [{ path: 'partnerTenantId', kind: 'id' }],
  },
  {
    name: 'exportSubscriptions',
    inputType: 'ExportSubscriptionsInput',
    select: 'export { url }',
    valid: (v) => ({ partnerTenantId: v.tenantGid, customerId: v.customerGid, format: 'CSV' }),
    fields: [
      { path: 'partnerTenantId', kind: 'id' },
      { path: 'customerId', kind: 'id' },
    ],
  },
  {
    name: 'exportActivityLog',
    inputType: 'ExportActivityLogInput',
    select: 'export { url }',
    valid: () => ({ format: 'CSV', filter: { customerSearch: 'Alpine' } }),
    fields: [{ path: 'filter.customerSearch', kind: 'optionalText', limit: 200 }],
  },
  {
    name: 'reinviteCustomer',
    inputType: 'ReinviteCustomerInput',
    valid: (v) => ({ id: v.transferGid, customerTenantId: '0b6e5f8a-1c2d-4e3f-8a9b-0c1d2e3f4a5b' }),
    fields: [
      { path: 'id', kind: 'id' },
      { path: 'customerTenantId', kind: 'guid' },
    ],
  },
  {
    name: 'excludeFromWorkflow',
    inputType: 'ExcludeFromWorkflowInput',
    valid: (v) => ({
      id: v.transferGid,
      customerTenantId: '0b6e5f8a-1c2d-4e3f-8a9b-0c1d2e3f4a5b',
      reason: 'Never answered the invitation',
    }),
    fields: [
      { path: 'id', kind: 'id' },
      { path: 'customerTenantId', kind: 'guid' },
      { path: 'reason', kind: 'requiredText', limit: 500 },
    ],
  },
];

/** A copy of `base` with `value` at the dotted `path` (array indexes included). */
export function withValue(base: Record<string, unknown>, path: string, value: unknown) {
  const copy = structuredClone(base);
  const keys = path.split('.');
  let node = copy as Record<string, unknown>;
  keys.slice(0, -1).forEach((key, i) => {
    node[key] ??= /^\d+$/.test(keys[i + 1] as string) ? [] : {};
    node = node[key] as Record<string, unknown>;
  });
  node[keys.at(-1) as string] = value;
  return copy;
}
