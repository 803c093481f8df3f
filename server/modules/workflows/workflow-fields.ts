import { type ApiContext } from '../api-context.js';
import { type PageArgs } from '../../shared/pagination.js';
import { type ConnectionShape } from '../common/common.type.js';
import { type Customer } from '../customers/customer.type.js';
import { type WorkflowItemRow, type WorkflowRow } from '../../workflows/engine/engine.types.js';
import {
  type Blocker,
  type WorkflowEvent,
  type WorkflowProgress,
} from '../workflow-core/workflow.type.js';
import { customerFromSnapshot } from './workflow.mapper.js';

/** Customers named by a workflow's items, from the data recorded at planning time. */
function customerIndex(
  items: WorkflowItemRow[],
): (customerTenantId: string | null) => Customer | null {
  const byTenant = new Map<string, Customer>();
  for (const item of items) {
    if (!item.customerTenantId || byTenant.has(item.customerTenantId)) {
      continue;
    }
    const data = JSON.parse(item.dataJson) as {
      companyName?: string;
      domain?: string;
      country?: string;
    };
    if (data.companyName && item.partnerTenantId) {
      byTenant.set(
        item.customerTenantId,
        customerFromSnapshot({
          partnerTenantId: item.partnerTenantId,
          customerTenantId: item.customerTenantId,
          companyName: data.companyName,
          domain: data.domain ?? null,
          country: data.country ?? null,
        }),
      );
    }
  }
  return (id) => (id ? (byTenant.get(id) ?? null) : null);
}

// The Workflow interface's computed fields, shared by every workflow object's resolver.

export async function progressOf(ctx: ApiContext, row: WorkflowRow): Promise<WorkflowProgress> {
  return ctx.services.workflowQueries.progress(row.id);
}

/** The items naming these customers only: a page never reads the whole workflow for its names. */
const itemsNaming = (ctx: ApiContext, row: WorkflowRow, ids: Array<string | null>) =>
  ctx.services.workflowQueries.itemsOfCustomers(
    row.id,
    ids.filter((id): id is string => id !== null),
  );

export async function blockersOf(ctx: ApiContext, row: WorkflowRow): Promise<Blocker[]> {
  const blockers = await ctx.services.workflowQueries.blockers(row.id);
  const customer = customerIndex(
    await itemsNaming(
      ctx,
      row,
      blockers.map((b) => b.customerTenantId),
    ),
  );
  return blockers.map((b) => ({
    code: b.code,
    codeEnum: b.code,
    message: b.message,
    customer: customer(b.customerTenantId),
    subject: b.subject,
  }));
}

export async function eventsOf(
  ctx: ApiContext,
  row: WorkflowRow,
  args: PageArgs,
): Promise<ConnectionShape<WorkflowEvent>> {
  const page = await ctx.services.workflowQueries.events(row.id, args);
  const customer = customerIndex(
    await itemsNaming(
      ctx,
      row,
      page.edges.map((e) => e.node.customerTenantId),
    ),
  );
  return {
    ...page,
    edges: page.edges.map((e) => ({
      cursor: e.cursor,
      node: {
        at: new Date(e.node.at),
        type: e.node.type,
        typeEnum: e.node.type,
        message: e.node.message,
        customer: customer(e.node.customerTenantId),
        subscriptionId: e.node.subscriptionId,
      },
    })),
  };
}
