import { graphql } from '../gql';

// The running workflow: a light live selection per kind (what `workflowUpdated` re-sends at each
// change) and heavier reads (items, journal) fetched on demand.

export const ConsolidationLiveFragment = graphql(`
  fragment ConsolidationLive on TenantConsolidation {
    customers(first: 100) {
      totalCount
      edges {
        node {
          state
          waitingReason
          invitationUrl
          customer {
            id
            tenantId
            companyName
            partnerTenant {
              id
              name
            }
          }
        }
      }
    }
  }
`);

export const TransferLiveFragment = graphql(`
  fragment TransferLive on SubscriptionTransfer {
    direction
    overdue
    responseDueAt
    serviceRequestId
    azureSubscriptionId
    newPartnerTenantId
    newSubscriptionId
    customerRequestReceivedAt
    pendingChecks
    roleAssignmentsToRemove
    removedRoleAssignments
    subscription {
      subscriptionId
      offerId
      offerName
      quantity
      status
    }
    form {
      complete
      attachedAt
      pdfUrl
      signatures {
        party
        signerName
        signedAt
      }
      signingLinks {
        party
        url
        used
        expiresAt
      }
      partnerAdmins {
        name
        email
      }
    }
  }
`);

export const ChannelMoveLiveFragment = graphql(`
  fragment ChannelMoveLive on ChannelMove {
    sourceChannel
    invitationUrl
    relationshipAccepted
    cutoverLeadDays
    customer {
      tenantId
      country
    }
    partnerTenant {
      id
      name
    }
    licenseLines: lines {
      lineNumber
      subject
      sourceOfferId
      sourceOfferName
      targetOfferId
      targetOfferName
      equivalentOffer
      seats
      recommendedAction
      cutoverAt
      expiresOn
      state
      detail
      warnings
      licenseReassignmentRequired
    }
  }
`);

export const AzurePlanLiveFragment = graphql(`
  fragment AzurePlanLive on AzurePlanTransition {
    customer {
      tenantId
    }
    partnerTenant {
      id
      name
    }
    budget {
      amount
      currency
    }
    plans {
      state
      resellerMpnId
      planSubscriptionId
      mapped {
        azureSubscriptionId
        commerceSubscriptionId
        status
      }
    }
    mappingLines: lines {
      commerceSubscriptionId
      azureSubscriptionId
      friendlyName
      resellerMpnId
      state
      detail
      errorCode
      planSubscriptionId
      upgradedAt
    }
    billingImpact {
      azureSubscriptionId
      commerceSubscriptionId
      oldInvoiceUntil
      planSubscriptionId
    }
  }
`);

export const WorkflowLiveFragment = graphql(`
  fragment WorkflowLive on Workflow {
    ...WorkflowSummary
    ... on TenantConsolidation {
      ...ConsolidationLive
    }
    ... on SubscriptionTransfer {
      ...TransferLive
    }
    ... on ChannelMove {
      ...ChannelMoveLive
    }
    ... on AzurePlanTransition {
      ...AzurePlanLive
    }
  }
`);

export const WorkflowQuery = graphql(`
  query ConsoleWorkflow($id: ID!) {
    node(id: $id) {
      ...WorkflowLive
    }
  }
`);

export const WorkflowUpdatedSubscription = graphql(`
  subscription ConsoleWorkflowUpdated($id: ID!) {
    workflowUpdated(id: $id) {
      ...WorkflowLive
    }
  }
`);

export const ConsolidationItemsQuery = graphql(`
  query ConsoleConsolidationItems($id: ID!, $after: String) {
    node(id: $id) {
      ... on TenantConsolidation {
        customers(first: 100, after: $after) {
          totalCount
          pageInfo {
            hasNextPage
            endCursor
          }
          edges {
            node {
              state
              customer {
                id
                tenantId
                companyName
                partnerTenant {
                  id
                  name
                }
              }
              items {
                kind
                seats
                status
                detail
                overlapDays
                targetActiveAt
                sourceSuspendedAt
                source {
                  subscriptionId
                  offerId
                  offerName
                  quantity
                  status
                }
                target {
                  subscriptionId
                  status
                }
              }
            }
          }
        }
      }
    }
  }
`);

export const ConsolidationStatesQuery = graphql(`
  query ConsoleConsolidationStates($id: ID!, $after: String) {
    node(id: $id) {
      ... on TenantConsolidation {
        customers(first: 100, after: $after) {
          totalCount
          pageInfo {
            hasNextPage
            endCursor
          }
          edges {
            node {
              state
            }
          }
        }
      }
    }
  }
`);

export const WorkflowEventsQuery = graphql(`
  query ConsoleWorkflowEvents($id: ID!, $after: String) {
    node(id: $id) {
      ... on Workflow {
        events(first: 100, after: $after) {
          totalCount
          pageInfo {
            hasNextPage
            endCursor
          }
          edges {
            node {
              at
              type
              message
              subscriptionId
              customer {
                id
                companyName
              }
            }
          }
        }
      }
    }
  }
`);
