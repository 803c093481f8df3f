import { type Emulator } from 'partner-center-emulator';
import { gqlData, PC_BASE_URL, type TestApp } from './app.js';

export const PLAN_CHANNEL_MOVE = /* GraphQL */ `
  mutation Plan($input: PlanChannelMoveInput!) {
    planChannelMove(input: $input) {
      userErrors {
        code
        message
        field
      }
      workflow {
        id
        status
      }
    }
  }
`;

export const CHANNEL_MOVE_STATE = /* GraphQL */ `
  query State($id: ID!) {
    node(id: $id) {
      ... on ChannelMove {
        id
        kind
        status
        completedAt
        sourceChannel
        invitationUrl
        relationshipAccepted
        cutoverLeadDays
        progress {
          completed
          total
        }
        customer {
          tenantId
          companyName
          country
          relationship
          partnerTenant {
            tenantId
          }
        }
        partnerTenant {
          tenantId
        }
        blockers {
          code
          message
          subject
        }
        events(first: 100) {
          edges {
            node {
              at
              type
              message
              subscriptionId
            }
          }
        }
        lines {
          lineNumber
          subject
          sourceOfferId
          sourceOfferName
          seats
          expiresOn
          targetOfferId
          targetOfferName
          equivalentOffer
          licenseReassignmentRequired
          recommendedAction
          cutoverAt
          warnings
          state
          detail
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
`;

export interface ChannelMoveLineState {
  lineNumber: number;
  subject: string;
  sourceOfferId: string;
  sourceOfferName: string | null;
  seats: number;
  expiresOn: string | null;
  targetOfferId: string | null;
  targetOfferName: string | null;
  equivalentOffer: boolean;
  licenseReassignmentRequired: boolean;
  recommendedAction: 'LET_EXPIRE' | 'CANCEL';
  cutoverAt: string | null;
  warnings: string[];
  state: string;
  detail: string | null;
  target: { subscriptionId: string; offerId: string; quantity: number; status: string } | null;
}

export interface ChannelMoveState {
  id: string;
  kind: string;
  status: string;
  completedAt: string | null;
  sourceChannel: string;
  invitationUrl: string | null;
  relationshipAccepted: boolean;
  cutoverLeadDays: number;
  progress: { completed: number; total: number };
  customer: {
    tenantId: string;
    companyName: string;
    country: string;
    relationship: string;
    partnerTenant: { tenantId: string };
  };
  partnerTenant: { tenantId: string };
  blockers: Array<{ code: string; message: string; subject: string | null }>;
  events: {
    edges: Array<{
      node: { at: string; type: string; message: string; subscriptionId: string | null };
    }>;
  };
  lines: ChannelMoveLineState[];
}

export interface PlanResult {
  userErrors: Array<{ code: string; message: string; field: string[] | null }>;
  workflow: { id: string; status: string } | null;
}

export async function planChannelMove(
  t: TestApp,
  token: string,
  input: Record<string, unknown>,
): Promise<PlanResult> {
  const data = await gqlData<{ planChannelMove: PlanResult }>(t, PLAN_CHANNEL_MOVE, {
    token,
    variables: { input },
  });
  return data?.planChannelMove as PlanResult;
}

export async function channelMoveState(
  t: TestApp,
  token: string,
  id: string,
): Promise<ChannelMoveState> {
  const data = await gqlData<{ node: ChannelMoveState }>(t, CHANNEL_MOVE_STATE, {
    token,
    variables: { id },
  });
  return data?.node as ChannelMoveState;
}

export { startWorkflow } from './operations.js';

/** The demo scenario's actors for a channel move: a regional tenant, the prospects, the offers. */
export async function channelMoveDemo(t: TestApp, emulator: Emulator) {
  const partners = emulator.control.partners();
  const fr = partners.find((p) => p.country === 'FR' && p.labels.includes('regional'));
  const organizationId = fr?.organizationId as string;
  const token = await t.token(organizationId);
  const res = await t.gql<{
    viewer: { organization: { partnerTenants: Array<{ id: string; tenantId: string }> } };
  }>('{ viewer { organization { partnerTenants { id tenantId } } } }', { token });
  const partner = res.body.data?.viewer.organization.partnerTenants.find(
    (p) => p.tenantId === fr?.tenantId,
  ) as { id: string; tenantId: string };
  const customers = emulator.control.customers();
  const inRegion = customers.find((c) => c.labels.includes('prospect-in-region'));
  const outOfRegion = customers.find((c) => c.labels.includes('prospect-out-of-region'));
  const offers = emulator.control.offers();
  const alias = (a: string) => offers.find((o) => o.alias === a);
  const e3 = alias('office365-e3');
  const ems = alias('ems-e3');
  const discontinued = alias('office365-business-premium');
  const successor = offers.find((o) => o.id === discontinued?.successorOfferId);
  if (!inRegion || !outOfRegion || !e3 || !ems || !discontinued?.discontinued || !successor) {
    throw new Error('the demo scenario lacks what the channel move tests need');
  }
  return {
    organizationId,
    token,
    partner,
    inRegion,
    outOfRegion,
    offers: { e3, ems, discontinued, successor },
  };
}

/** A customer's subscriptions as a partner tenant sees them in Partner Center (the emulator). */
export async function pcSubscriptions(
  emulator: Emulator,
  tenantId: string,
  customerTenantId: string,
): Promise<Array<{ id: string; offerId: string; quantity: number; status: string }>> {
  const res = await emulator.fetch(
    `${PC_BASE_URL}/v1/customers/${customerTenantId}/subscriptions`,
    {
      headers: {
        authorization: `Bearer ${emulator.tokenFor(tenantId)}`,
        accept: 'application/json',
      },
    },
  );
  if (res.status !== 200) {
    return [];
  }
  return (
    (await res.json()) as {
      items: Array<{ id: string; offerId: string; quantity: number; status: string }>;
    }
  ).items;
}
