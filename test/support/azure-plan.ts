import { type Emulator } from 'partner-center-emulator';
import { encodeId } from '../../server/shared/ids.js';
import { gqlData, PC_BASE_URL, type TestApp } from './app.js';

export const PLAN_AZURE = /* GraphQL */ `
  mutation Plan($input: PlanAzurePlanTransitionInput!) {
    planAzurePlanTransition(input: $input) {
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
        }
      }
    }
  }
`;

export const AZURE_STATE = /* GraphQL */ `
  query State($id: ID!) {
    node(id: $id) {
      ... on AzurePlanTransition {
        id
        kind
        status
        completedAt
        progress {
          completed
          total
        }
        blockers {
          code
          message
        }
        customer {
          tenantId
          companyName
        }
        budget {
          amount
          currency
        }
        upgradeIds
        plans {
          resellerMpnId
          planSubscriptionId
          state
          planSubscription {
            subscriptionId
            productFamily
            status
            resellerMpnId
          }
          mapped {
            azureSubscriptionId
            commerceSubscriptionId
            status
            azurePlanSubscriptionId
          }
        }
        lines {
          commerceSubscriptionId
          azureSubscriptionId
          resellerMpnId
          state
          errorCode
          detail
          upgradeId
          planSubscriptionId
          upgradedAt
        }
        billingImpact {
          commerceSubscriptionId
          azureSubscriptionId
          planSubscriptionId
          oldInvoiceUntil
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

export interface AzureState {
  id: string;
  kind: string;
  status: string;
  completedAt: string | null;
  progress: { completed: number; total: number };
  blockers: Array<{ code: string; message: string }>;
  customer: { tenantId: string; companyName: string };
  budget: { amount: string; currency: string } | null;
  upgradeIds: string[];
  plans: Array<{
    resellerMpnId: string | null;
    planSubscriptionId: string | null;
    state: string;
    planSubscription: {
      subscriptionId: string;
      productFamily: string;
      status: string;
      resellerMpnId: string | null;
    } | null;
    mapped: Array<{
      azureSubscriptionId: string;
      commerceSubscriptionId: string;
      status: string;
      azurePlanSubscriptionId: string | null;
    }>;
  }>;
  lines: Array<{
    commerceSubscriptionId: string;
    azureSubscriptionId: string;
    resellerMpnId: string | null;
    state: string;
    errorCode: string | null;
    detail: string | null;
    upgradeId: string | null;
    planSubscriptionId: string | null;
    upgradedAt: string | null;
  }>;
  billingImpact: Array<{
    commerceSubscriptionId: string;
    azureSubscriptionId: string;
    planSubscriptionId: string | null;
    oldInvoiceUntil: string | null;
  }>;
  events: { edges: Array<{ node: { type: string; message: string } }> };
}

export async function azureState(t: TestApp, token: string, id: string): Promise<AzureState> {
  const data = await gqlData<{ node: AzureState }>(t, AZURE_STATE, { token, variables: { id } });
  return data?.node as AzureState;
}

/** A demo customer by label or name, with the partner tenant that serves it and its global id. */
export function demoCustomer(
  emulator: Emulator,
  match: { label?: string; name?: string; partnerLabel?: string },
): { gid: string; tenantId: string; partnerTenantId: string; companyName: string } {
  const partners = emulator.control.partners();
  const customer = emulator.control
    .customers()
    .find(
      (c) =>
        (!match.label || c.labels.includes(match.label)) &&
        (!match.name || c.companyName.startsWith(match.name)),
    );
  if (!customer) {
    throw new Error(`no demo customer ${JSON.stringify(match)}`);
  }
  const rel =
    customer.relationships.find((r) =>
      partners.some(
        (p) =>
          p.tenantId === r.partnerTenantId &&
          p.organizationName.startsWith('Contoso') &&
          (!match.partnerLabel || p.labels.includes(match.partnerLabel)),
      ),
    ) ?? customer.relationships[0];
  const partnerTenantId = rel?.partnerTenantId as string;
  return {
    gid: encodeId('Customer', partnerTenantId, customer.tenantId),
    tenantId: customer.tenantId,
    partnerTenantId,
    companyName: customer.companyName,
  };
}

/** Calls the emulator's Partner Center REST API as a partner tenant, like any client would. */
export async function pc<T>(
  emulator: Emulator,
  tenantId: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await emulator.fetch(`${PC_BASE_URL}/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${emulator.tokenFor(tenantId)}`,
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

export interface PcSub {
  id: string;
  offerId: string;
  offerName?: string;
  status: string;
  partnerId?: string | null;
  entitlementId?: string | null;
}

export async function subscriptionsOf(
  emulator: Emulator,
  tenantId: string,
  customerTenantId: string,
): Promise<PcSub[]> {
  const res = await pc<{ items: PcSub[] }>(
    emulator,
    tenantId,
    'GET',
    `/customers/${customerTenantId}/subscriptions`,
  );
  return res.body.items;
}

export { startWorkflow } from './operations.js';
