import { CustomerRelationship } from '../../shared/enums.js';
import { encodeId } from '../../shared/ids.js';
import { tagType } from '../common/common.type.js';
import { Customer } from '../customers/customer.type.js';
import { type WorkflowRow } from '../../workflows/engine/engine.types.js';
import { type WorkflowKind, type WorkflowStatus } from '../workflow-core/workflow.type.js';

/** The GraphQL object of one workflow kind: its type name (also in its global id), a constructor. */
export interface WorkflowObjectType {
  kind: string;
  typeName: string;
  create: () => object;
}

const objects = new Map<string, WorkflowObjectType>();

/**
 * Registers the object type of a workflow kind. `createWorkflowsModule` registers every procedure
 * of `app/procedures.ts`; registering a kind again replaces it (same list, same result).
 */
export function registerWorkflowObject(type: WorkflowObjectType): void {
  objects.set(type.kind, type);
}

/** Type names of every registered workflow kind (global ids of any of them are workflow ids). */
export function workflowTypeNames(): string[] {
  return [...objects.values()].map((o) => o.typeName);
}

export function workflowGlobalId(row: Pick<WorkflowRow, 'id' | 'kind'>): string {
  return encodeId(objects.get(row.kind)?.typeName ?? 'Workflow', row.id);
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
  const known = objects.get(row.kind);
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
