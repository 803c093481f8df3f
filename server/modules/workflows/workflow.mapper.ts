import { CustomerRelationship } from '../../shared/enums.js';
import { encodeId } from '../../shared/ids.js';
import { tagType } from '../common/common.type.js';
import { Customer } from '../customers/customer.type.js';
import { type WorkflowRow } from '../../workflows/engine/engine.types.js';
import { type WorkflowKind, type WorkflowStatus } from '../workflow-core/workflow.type.js';
import { TenantConsolidation } from './workflow-objects.type.js';
import { SubscriptionTransfer } from './transfer.type.js';
import { AzurePlanTransition } from './azure-plan.type.js';
import { ChannelMove } from './channel-move.type.js';

/**
 * The GraphQL object of each workflow kind: its type name (also the type part of its global id)
 * and a constructor. A new procedure adds one line here (and its class to `orphanedTypes`).
 */
export const WORKFLOW_OBJECTS: Record<string, { typeName: string; create: () => object }> = {
  TENANT_CONSOLIDATION: {
    typeName: 'TenantConsolidation',
    create: () => new TenantConsolidation(),
  },
  SUBSCRIPTION_TRANSFER: {
    typeName: 'SubscriptionTransfer',
    create: () => new SubscriptionTransfer(),
  },
  AZURE_PLAN_TRANSITION: {
    typeName: 'AzurePlanTransition',
    create: () => new AzurePlanTransition(),
  },
  CHANNEL_MOVE: { typeName: 'ChannelMove', create: () => new ChannelMove() },
};

export const WORKFLOW_TYPE_NAMES: Record<string, string> = Object.fromEntries(
  Object.entries(WORKFLOW_OBJECTS).map(([kind, o]) => [kind, o.typeName]),
);

export function workflowGlobalId(row: Pick<WorkflowRow, 'id' | 'kind'>): string {
  return encodeId(WORKFLOW_TYPE_NAMES[row.kind] ?? 'Workflow', row.id);
}

/** A stored workflow as its GraphQL object (fields beyond the row come from field resolvers). */
export function toWorkflowObject(row: WorkflowRow): object {
  const common = {
    id: workflowGlobalId(row),
    kind: row.kind as WorkflowKind,
    status: row.status as WorkflowStatus,
    createdAt: new Date(row.createdAt),
    updatedAt: new Date(row.updatedAt),
    completedAt: row.completedAt ? new Date(row.completedAt) : null,
    row,
  };
  const known = WORKFLOW_OBJECTS[row.kind];
  if (!known) {
    throw new Error(`no GraphQL object registered for workflow kind ${row.kind}`);
  }
  return tagType(Object.assign(known.create(), common), known.typeName);
}

/** A customer as recorded in a workflow (company data at planning time; the rest is live). */
export function customerFromSnapshot(snapshot: {
  partnerTenantId: string;
  customerTenantId: string;
  companyName: string;
  domain?: string | null;
  country?: string | null;
}): Customer {
  return Customer.from({
    partnerTenantId: snapshot.partnerTenantId,
    tenantId: snapshot.customerTenantId,
    companyName: snapshot.companyName,
    domain: snapshot.domain ?? '',
    country: snapshot.country ?? null,
    relationship: CustomerRelationship.RESELLER,
  });
}
