import type { WorkflowKind, WorkflowStatus, WorkflowSummaryFragment } from '../gql/graphql';

// Lists typed against the schema's enums: `satisfies` makes a value the schema drops a type error.
export const WORKFLOW_KINDS = [
  'TENANT_CONSOLIDATION',
  'SUBSCRIPTION_TRANSFER',
  'CHANNEL_MOVE',
  'AZURE_PLAN_TRANSITION',
] as const satisfies readonly WorkflowKind[];

export const WORKFLOW_STATUSES = [
  'DRAFT',
  'RUNNING',
  'WAITING',
  'COMPLETED',
  'FAILED',
  'CANCELED',
] as const satisfies readonly WorkflowStatus[];

export const FINAL_STATUSES: readonly WorkflowStatus[] = ['COMPLETED', 'FAILED', 'CANCELED'];

/** One line saying what the workflow moves: tenants for a consolidation, else the customer. */
export function subjectOf(workflow: WorkflowSummaryFragment): string {
  switch (workflow.__typename) {
    case 'TenantConsolidation':
      return `${workflow.sources.map((s) => s.name).join(', ')} → ${workflow.target.name}`;
    case 'SubscriptionTransfer':
    case 'ChannelMove':
    case 'AzurePlanTransition':
      return workflow.customer.companyName;
    default:
      return '';
  }
}
