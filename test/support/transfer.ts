import { type Emulator } from 'partner-center-emulator';
import { encodeId } from '../../server/shared/ids.js';
import { gqlData, PC_BASE_URL, type TestApp } from './app.js';

export const PLAN_TRANSFER = /* GraphQL */ `
  mutation Plan($input: PlanSubscriptionTransferInput!) {
    planSubscriptionTransfer(input: $input) {
      userErrors {
        code
        message
        field
      }
      workflow {
        id
        status
        blockers {
          code
          message
          subject
        }
      }
    }
  }
`;

export const TRANSFER_STATE = /* GraphQL */ `
  query Transfer($id: ID!) {
    node(id: $id) {
      ... on SubscriptionTransfer {
        id
        kind
        status
        completedAt
        direction
        state
        waitingReason
        serviceRequestId
        responseDueAt
        overdue
        azureSubscriptionId
        newSubscriptionId
        removedRoleAssignments
        roleAssignmentsToRemove
        pendingChecks
        newPartnerTenantId
        customerRequestReceivedAt
        progress {
          completed
          total
        }
        blockers {
          code
          message
          subject
        }
        customer {
          tenantId
          companyName
        }
        subscription {
          subscriptionId
          status
          productFamily
        }
        form {
          complete
          attachedAt
          pdfUrl
          partnerAdmins {
            name
            email
            phone
          }
          signatures {
            party
            signerName
            signedAt
          }
          signingLinks {
            party
            url
            expiresAt
            used
          }
        }
        events(first: 100) {
          edges {
            node {
              type
              message
            }
          }
        }
      }
    }
  }
`;

export const SIGN = /* GraphQL */ `
  mutation Sign($input: SignTransferFormInput!) {
    signTransferForm(input: $input) {
      userErrors {
        code
        message
        field
      }
      workflow {
        id
      }
    }
  }
`;

export interface TransferState {
  id: string;
  kind: string;
  status: string;
  completedAt: string | null;
  direction: string;
  state: string;
  waitingReason: string | null;
  serviceRequestId: string | null;
  responseDueAt: string | null;
  overdue: boolean;
  azureSubscriptionId: string;
  newSubscriptionId: string | null;
  removedRoleAssignments: string[];
  roleAssignmentsToRemove: string[];
  pendingChecks: string[];
  newPartnerTenantId: string;
  customerRequestReceivedAt: string;
  progress: { completed: number; total: number };
  blockers: Array<{ code: string; message: string; subject: string | null }>;
  customer: { tenantId: string; companyName: string };
  subscription: { subscriptionId: string; status: string; productFamily: string };
  form: {
    complete: boolean;
    attachedAt: string | null;
    pdfUrl: string;
    partnerAdmins: Array<{ name: string; email: string; phone: string | null }>;
    signatures: Array<{ party: string; signerName: string; signedAt: string }>;
    signingLinks: Array<{ party: string; url: string; expiresAt: string; used: boolean }>;
  };
  events: { edges: Array<{ node: { type: string; message: string } }> };
}

export const ADMINS = [
  { name: 'Aoife Byrne', email: 'aoife.byrne@contoso.example', phone: '+353 1 555 0100' },
  { name: 'Tom Walsh', email: 'tom.walsh@fabrikam.example' },
];

/** Reads Partner Center (the emulator's REST API) as a partner tenant. */
export async function pcGet<T>(
  emulator: Emulator,
  tenantId: string,
  path: string,
): Promise<{ status: number; body: T }> {
  const res = await emulator.fetch(`${PC_BASE_URL}/v1${path}`, {
    headers: { authorization: `Bearer ${emulator.tokenFor(tenantId)}`, accept: 'application/json' },
  });
  return { status: res.status, body: (await res.json()) as T };
}

export interface PcSub {
  id: string;
  offerId: string;
  offerName?: string;
  status: string;
  entitlementId?: string | null;
}

export interface DemoTransfer {
  organizationId: string;
  fabrikamOrganizationId: string;
  current: { tenantId: string; adminAgentsGroupId: string };
  target: { tenantId: string; mpnId: string; adminAgentsGroupId: string };
  customerTenantId: string;
  subscription: PcSub;
  subscriptionGid: string;
}

/** The demo's `transfer-out` case: Oak & Stone's legacy Azure from Contoso Europe to Fabrikam UK. */
export async function demoTransfer(
  emulator: Emulator,
  label = 'transfer-out',
): Promise<DemoTransfer> {
  const partners = emulator.control.partners();
  const customer = emulator.control.customers().find((c) => c.labels.includes(label));
  if (!customer) {
    throw new Error(`no ${label} customer`);
  }
  const fabrikam = partners.find((p) =>
    /fabrikam/i.test(p.organizationName),
  ) as (typeof partners)[number];
  const holders = customer.relationships.map((r) => r.partnerTenantId);
  const current = partners.find(
    (p) => holders.includes(p.tenantId) && p.organizationId !== fabrikam.organizationId,
  ) as (typeof partners)[number];
  const subs = await pcGet<{ items: PcSub[] }>(
    emulator,
    current.tenantId,
    `/customers/${customer.tenantId}/subscriptions`,
  );
  const subscription = subs.body.items.find((s) => s.offerId === 'MS-AZR-0145P') as PcSub;
  return {
    organizationId: current.organizationId,
    fabrikamOrganizationId: fabrikam.organizationId,
    current: { tenantId: current.tenantId, adminAgentsGroupId: current.adminAgentsGroupId },
    target: {
      tenantId: fabrikam.tenantId,
      mpnId: fabrikam.mpnId,
      adminAgentsGroupId: fabrikam.adminAgentsGroupId,
    },
    customerTenantId: customer.tenantId,
    subscription,
    subscriptionGid: encodeId(
      'CustomerSubscription',
      current.tenantId,
      customer.tenantId,
      subscription.id,
    ),
  };
}

export function subscriptionGid(partnerTenantId: string, customerTenantId: string, id: string) {
  return encodeId('CustomerSubscription', partnerTenantId, customerTenantId, id);
}

export async function transferState(t: TestApp, token: string, id: string): Promise<TransferState> {
  const data = await gqlData<{ node: TransferState | null }>(t, TRANSFER_STATE, {
    token,
    variables: { id },
  });
  return data?.node as TransferState;
}

export async function planTransfer(
  t: TestApp,
  token: string,
  input: Record<string, unknown>,
): Promise<{
  workflow: {
    id: string;
    status: string;
    blockers: Array<{ code: string; message: string }>;
  } | null;
  userErrors: Array<{ code: string; message: string; field: string[] | null }>;
}> {
  const data = await gqlData<{ planSubscriptionTransfer: never }>(t, PLAN_TRANSFER, {
    token,
    variables: { input },
  });
  return data?.planSubscriptionTransfer as never;
}

/** Signs through a signing link as its party would: POST JSON to the link. */
export async function signWithLink(
  url: string,
  signer: { signerName: string; signerEmail: string },
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(signer),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
