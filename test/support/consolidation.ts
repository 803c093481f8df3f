import { type Emulator } from 'partner-center-emulator';
import { gqlData, type TestApp } from './app.js';

export const PLAN_CONSOLIDATION = /* GraphQL */ `
  mutation Plan($input: PlanTenantConsolidationInput!) {
    planTenantConsolidation(input: $input) {
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
          customer {
            tenantId
            companyName
          }
        }
        ... on TenantConsolidation {
          customers(first: 100) {
            totalCount
          }
        }
      }
    }
  }
`;

export const CONSOLIDATION_STATE = /* GraphQL */ `
  query State($id: ID!) {
    node(id: $id) {
      ... on TenantConsolidation {
        id
        status
        completedAt
        progress {
          completed
          total
        }
        blockers {
          code
          message
          subject
          customer {
            tenantId
            companyName
          }
        }
        billingOverlap {
          itemsWithOverlap
          maxOverlapDays
        }
        sources {
          tenantId
        }
        target {
          tenantId
        }
        customers(first: 100) {
          totalCount
          edges {
            node {
              state
              invitationUrl
              waitingReason
              customer {
                tenantId
                companyName
                partnerTenant {
                  tenantId
                }
              }
              items {
                kind
                seats
                status
                detail
                targetActiveAt
                targetSeenActiveAt
                sourceSuspendedAt
                overlapDays
                proposedOfferId
                source {
                  subscriptionId
                  offerId
                  quantity
                  status
                }
                target {
                  subscriptionId
                  offerId
                  quantity
                  status
                }
              }
            }
          }
        }
      }
    }
  }
`;

export interface TenantRow {
  id: string;
  tenantId: string;
  name: string;
  country: string;
}

export interface ConsolidationState {
  id: string;
  status: string;
  completedAt: string | null;
  progress: { completed: number; total: number };
  blockers: Array<{
    code: string;
    message: string;
    subject: string | null;
    customer: { tenantId: string; companyName: string } | null;
  }>;
  billingOverlap: { itemsWithOverlap: number; maxOverlapDays: number };
  customers: {
    totalCount: number;
    edges: Array<{
      node: {
        state: string;
        invitationUrl: string | null;
        waitingReason: string | null;
        customer: { tenantId: string; companyName: string; partnerTenant: { tenantId: string } };
        items: Array<{
          kind: string;
          seats: number;
          status: string;
          detail: string | null;
          targetActiveAt: string | null;
          targetSeenActiveAt: string | null;
          sourceSuspendedAt: string | null;
          overlapDays: number | null;
          proposedOfferId: string | null;
          source: { subscriptionId: string; offerId: string; quantity: number; status: string };
          target: {
            subscriptionId: string;
            offerId: string;
            quantity: number;
            status: string;
          } | null;
        }>;
      };
    }>;
  };
}

/** The demo organization's tenants: the `central` one is the target, the `regional` ones the sources. */
export async function demoTenants(t: TestApp, emulator: Emulator, token: string) {
  const partners = emulator.control.partners();
  const central = partners.find((p) => p.labels.includes('central'));
  const regional = new Set(
    partners.filter((p) => p.labels.includes('regional')).map((p) => p.tenantId),
  );
  const res = await t.gql<{ viewer: { organization: { partnerTenants: TenantRow[] } } }>(
    '{ viewer { organization { partnerTenants { id tenantId name country } } } }',
    { token },
  );
  const tenants = res.body.data?.viewer.organization.partnerTenants ?? [];
  return {
    target: tenants.find((x) => x.tenantId === central?.tenantId) as TenantRow,
    sources: tenants.filter((x) => regional.has(x.tenantId)),
  };
}

export async function consolidationState(
  t: TestApp,
  token: string,
  id: string,
): Promise<ConsolidationState> {
  const data = await gqlData<{ node: ConsolidationState }>(t, CONSOLIDATION_STATE, {
    token,
    variables: { id },
  });
  return data?.node as ConsolidationState;
}

// Generic: kept here for the tests that import it from the consolidation helpers.
export { playUntil } from './app.js';

/** Just the status (cheap: no Partner Center reads). */
export async function workflowStatus(t: TestApp, token: string, id: string): Promise<string> {
  const res = await t.gql<{ node: { status: string } | null }>(
    'query($id: ID!) { node(id: $id) { ... on Workflow { status } } }',
    {
      token,
      variables: { id },
    },
  );
  return res.body.data?.node?.status ?? 'UNKNOWN';
}
