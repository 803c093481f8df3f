import { graphql } from '../gql';

// Every operation of the console. Each one stays well under the API's 2,000-token document limit
// (issue 8): the running page selects one kind's fields at a time.

export const ViewerQuery = graphql(`
  query ConsoleViewer {
    viewer {
      userId
      name
      roles
      organization {
        id
        name
        partnerTenants {
          id
          tenantId
          name
          country
          region
          kind
          mpnId
        }
      }
    }
  }
`);

export const WorkflowsQuery = graphql(`
  query ConsoleWorkflows(
    $first: Int
    $after: String
    $kind: WorkflowKind
    $status: WorkflowStatus
  ) {
    workflows(first: $first, after: $after, kind: $kind, status: $status) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...WorkflowSummary
        }
      }
    }
  }
`);

export const WorkflowSummaryFragment = graphql(`
  fragment WorkflowSummary on Workflow {
    __typename
    id
    kind
    status
    createdAt
    updatedAt
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
        id
        tenantId
        companyName
      }
    }
    ... on TenantConsolidation {
      target {
        id
        name
      }
      sources {
        id
        name
      }
      billingOverlap {
        itemsWithOverlap
        maxOverlapDays
        openOverlaps
      }
    }
    ... on SubscriptionTransfer {
      state
      waitingReason
      customer {
        id
        companyName
      }
    }
    ... on ChannelMove {
      customer {
        id
        companyName
      }
    }
    ... on AzurePlanTransition {
      customer {
        id
        companyName
      }
    }
  }
`);

export const TenantCustomersQuery = graphql(`
  query ConsoleTenantCustomers(
    $partnerTenantId: ID!
    $first: Int
    $after: String
    $search: String
  ) {
    customers(partnerTenantId: $partnerTenantId, first: $first, after: $after, search: $search) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          tenantId
          companyName
          domain
          country
          subscriptions(first: 50) {
            edges {
              node {
                id
                subscriptionId
                offerId
                offerName
                quantity
                status
                productFamily
                billingType
              }
            }
          }
        }
      }
    }
  }
`);

export const UserErrorFields = graphql(`
  fragment UserErrorFields on UserError {
    code
    message
    field
  }
`);

export const PlanConsolidationMutation = graphql(`
  mutation ConsolePlanConsolidation($input: PlanTenantConsolidationInput!) {
    planTenantConsolidation(input: $input) {
      userErrors {
        ...UserErrorFields
      }
      workflow {
        id
      }
    }
  }
`);

export const PlanTransferMutation = graphql(`
  mutation ConsolePlanTransfer($input: PlanSubscriptionTransferInput!) {
    planSubscriptionTransfer(input: $input) {
      userErrors {
        ...UserErrorFields
      }
      workflow {
        id
      }
    }
  }
`);

export const PlanChannelMoveMutation = graphql(`
  mutation ConsolePlanChannelMove($input: PlanChannelMoveInput!) {
    planChannelMove(input: $input) {
      userErrors {
        ...UserErrorFields
      }
      workflow {
        id
      }
    }
  }
`);

export const PlanAzurePlanMutation = graphql(`
  mutation ConsolePlanAzurePlan($input: PlanAzurePlanTransitionInput!) {
    planAzurePlanTransition(input: $input) {
      userErrors {
        ...UserErrorFields
      }
      workflow {
        id
      }
    }
  }
`);

export const WorkflowPayloadFields = graphql(`
  fragment WorkflowPayloadFields on WorkflowPayload {
    userErrors {
      ...UserErrorFields
    }
    workflow {
      ...WorkflowSummary
    }
  }
`);

export const StartWorkflowMutation = graphql(`
  mutation ConsoleStartWorkflow($id: ID!) {
    startWorkflow(input: { id: $id }) {
      ...WorkflowPayloadFields
    }
  }
`);

export const CancelWorkflowMutation = graphql(`
  mutation ConsoleCancelWorkflow($id: ID!) {
    cancelWorkflow(input: { id: $id }) {
      ...WorkflowPayloadFields
    }
  }
`);

export const RetryWorkflowMutation = graphql(`
  mutation ConsoleRetryWorkflow($id: ID!) {
    retryWorkflow(input: { id: $id }) {
      ...WorkflowPayloadFields
    }
  }
`);

export const ConfirmTransferCleanupMutation = graphql(`
  mutation ConsoleConfirmTransferCleanup($id: ID!) {
    confirmTransferCleanup(input: { transferId: $id }) {
      ...WorkflowPayloadFields
    }
  }
`);

export const ReissueSigningLinkMutation = graphql(`
  mutation ConsoleReissueSigningLink($id: ID!, $party: TransferParty!) {
    reissueSigningLink(input: { transferId: $id, party: $party }) {
      userErrors {
        ...UserErrorFields
      }
      signingLink {
        party
        url
        expiresAt
        used
      }
    }
  }
`);

export const SignTransferFormMutation = graphql(`
  mutation ConsoleSignTransferForm($input: SignTransferFormInput!) {
    signTransferForm(input: $input) {
      ...WorkflowPayloadFields
    }
  }
`);

export const ExportFields = graphql(`
  fragment ExportFields on ExportPayload {
    userErrors {
      ...UserErrorFields
    }
    export {
      url
      fileName
      contentType
      rowCount
    }
  }
`);

export const ExportConsolidationMutation = graphql(`
  mutation ConsoleExportConsolidation($id: ID!, $format: ExportFormat!) {
    exportConsolidationInventory(input: { workflowId: $id, format: $format }) {
      ...ExportFields
    }
  }
`);

export const ExportChannelMoveMutation = graphql(`
  mutation ConsoleExportChannelMove($id: ID!, $format: ExportFormat!) {
    exportChannelMovePlan(input: { workflowId: $id, format: $format }) {
      ...ExportFields
    }
  }
`);

export const ExportAzureReconciliationMutation = graphql(`
  mutation ConsoleExportAzureReconciliation($customerId: ID!, $format: ExportFormat!) {
    exportAzureReconciliation(input: { customerId: $customerId, format: $format }) {
      ...ExportFields
    }
  }
`);

export const ExportActivityLogMutation = graphql(`
  mutation ConsoleExportActivityLog($id: ID!, $format: ExportFormat!) {
    exportActivityLog(input: { filter: { workflowId: $id }, format: $format }) {
      ...ExportFields
    }
  }
`);
