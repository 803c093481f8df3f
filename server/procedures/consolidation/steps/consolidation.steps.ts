import { insertActivityEntries } from '../../../modules/activity-log/activity.repository.js';
import { type PartnerCenterClientFactory } from '../../../partner-center/client-factory.js';
import { PartnerCenterError } from '../../../partner-center/errors.js';
import {
  createOrder,
  createServiceRequest,
  getRelationshipRequestUrl,
  listServiceRequests,
  listSupportTopics,
  setSubscriptionStatus,
} from '../../../partner-center/operations.js';
import { type EngineDb } from '../../../workflows/engine/db.types.js';
import { type StepOutcome, type WorkflowItemRow } from '../../../workflows/engine/engine.types.js';
import {
  type StepContext,
  type WorkflowDefinition,
} from '../../../workflows/engine/workflow-runner.js';
import * as engineRepo from '../../../workflows/engine/workflow.repository.js';
import {
  AZURE_SUPPORT_MIGRATION,
  LICENSE_REPROVISION,
  type ConsolidationData,
  type CustomerItemData,
  type SubscriptionItemData,
  SUPPORT_REQUEST,
  type SupportBatchResult,
} from '../consolidation.model.js';

export interface ConsolidationDeps {
  db: EngineDb;
  clients: PartnerCenterClientFactory;
  /** Fallback recheck for items that other items wake (business time). */
  wakeFallbackMs?: number;
  /** Recheck of a target subscription still provisioning (business time). */
  provisioningRecheckMs?: number;
}

const DAY_MS = 86_400_000;
const utcDay = (iso: string) => iso.slice(0, 10);
/** Calendar days after the target's first day on which both were active (R-CON-4/5). */
export function overlapDays(targetActiveAt: string, sourceSuspendedAt: string): number {
  const days = Math.round(
    (Date.parse(utcDay(sourceSuspendedAt)) - Date.parse(utcDay(targetActiveAt))) / DAY_MS,
  );
  return Math.max(0, days);
}

const data = <T>(ctx: StepContext) => ctx.data as unknown as T;
const workflowData = (ctx: StepContext) => ctx.workflowData as unknown as ConsolidationData;

function isNotFound(error: unknown): boolean {
  return error instanceof PartnerCenterError && error.status === 404;
}

/** The consolidation's steps (R-CON-2..8). Every Partner Center write is journalled. */
export function consolidationDefinition(deps: ConsolidationDeps): WorkflowDefinition {
  const { db, clients } = deps;
  const wakeFallbackMs = deps.wakeFallbackMs ?? 60 * 60_000;
  const provisioningRecheckMs = deps.provisioningRecheckMs ?? 2 * 60_000;
  const later = (ctx: StepContext, ms: number) => new Date(ctx.now().getTime() + ms);

  const activity = async (
    ctx: StepContext,
    entry: {
      operation: string;
      details: string;
      subscriptionId?: string | null;
      externalId: string;
      tenantId?: string;
    },
  ) => {
    const item = ctx.item;
    const wf = workflowData(ctx);
    await insertActivityEntries(db, [
      {
        organizationId: ctx.workflow.organizationId,
        at: ctx.now().toISOString(),
        actor: wf.startedBy ?? ctx.workflow.createdBy,
        operation: entry.operation,
        source: 'PRODUCT',
        partnerTenantId: entry.tenantId ?? item.partnerTenantId,
        customerTenantId: item.customerTenantId,
        customerName: (ctx.data as { companyName?: string }).companyName ?? null,
        workflowId: ctx.workflow.id,
        subscriptionId: entry.subscriptionId ?? null,
        details: entry.details,
        externalId: `wf:${entry.externalId}`,
      },
    ]);
  };

  // ---- CUSTOMER ------------------------------------------------------------------------------

  const invite = async (ctx: StepContext): Promise<StepOutcome> => {
    const wf = workflowData(ctx);
    const customer = data<CustomerItemData>(ctx);
    // R-CON-2: the invitation URL carries the target partner's id; the customer's admin accepts it.
    const invitationUrl = await getRelationshipRequestUrl(clients.forTenant(wf.target.tenantId));
    ctx.emit({
      type: 'CUSTOMER_INVITED',
      message: `Reseller relationship invitation for ${customer.companyName} from ${wf.target.name}: ${invitationUrl}`,
      partnerTenantId: wf.target.tenantId,
    });
    await activity(ctx, {
      operation: 'invite_customer',
      details: `Invited ${customer.companyName} to a reseller relationship with ${wf.target.name} (${invitationUrl}).`,
      externalId: `${ctx.item.id}:invite`,
      tenantId: wf.target.tenantId,
    });
    return { type: 'next', step: 'await_acceptance', state: 'INVITED', data: { invitationUrl } };
  };

  const awaitAcceptance = async (ctx: StepContext): Promise<StepOutcome> => {
    const wf = workflowData(ctx);
    const customer = data<CustomerItemData>(ctx);
    const customerId = ctx.item.customerTenantId as string;
    let seen;
    try {
      seen = await clients.forTenant(wf.target.tenantId).getCustomer(customerId);
    } catch (error) {
      if (isNotFound(error)) {
        return {
          type: 'wait',
          reason: `Waiting for ${customer.companyName} to accept the reseller invitation of ${wf.target.name}.`,
        };
      }
      throw error;
    }
    if (seen.relationshipToPartner !== 'reseller') {
      return {
        type: 'wait',
        reason: `Waiting for ${customer.companyName} to accept the reseller invitation of ${wf.target.name}.`,
      };
    }
    if (seen.allowDelegatedAccess === false) {
      return {
        type: 'wait',
        reason: `${customer.companyName} accepted but has not granted delegated admin privileges to ${wf.target.name} yet.`,
      };
    }
    // What the target already had before we order anything: one read here serves every license
    // item's look-before-create (instead of one read per item on the target's rate budget).
    const targetSubscriptionsAtAcceptance = (
      await clients.forTenant(wf.target.tenantId).listSubscriptions(customerId)
    ).map((s) => s.id);
    ctx.releaseChildren();
    ctx.emit({
      type: 'CUSTOMER_ACCEPTED',
      message: `${customer.companyName} accepted the reseller relationship with ${wf.target.name} and granted delegated admin.`,
      partnerTenantId: wf.target.tenantId,
    });
    await activity(ctx, {
      operation: 'customer_accepted_relationship',
      details: `${customer.companyName} accepted the reseller relationship with ${wf.target.name}.`,
      externalId: `${ctx.item.id}:accepted`,
      tenantId: wf.target.tenantId,
    });
    return {
      type: 'next',
      step: 'await_children',
      state: 'ACCEPTED',
      data: { acceptedAt: ctx.now().toISOString(), targetSubscriptionsAtAcceptance },
    };
  };

  const awaitChildren = async (ctx: StepContext): Promise<StepOutcome> => {
    const children = await engineRepo.childItems(db, ctx.item.id);
    const licenses = children.filter((c) => c.kind === LICENSE_REPROVISION);
    const azure = children.filter((c) => c.kind === AZURE_SUPPORT_MIGRATION);
    const terminal = (c: WorkflowItemRow) =>
      ['DONE', 'FAILED', 'BLOCKED', 'SKIPPED', 'CANCELED'].includes(c.status);
    const customer = data<CustomerItemData>(ctx);
    const failed = children.filter((c) => c.status === 'FAILED');
    if (children.every(terminal)) {
      if (failed.length > 0) {
        return {
          type: 'failed',
          code: 'ITEM_FAILED',
          message: `${failed.length} subscription(s) of ${customer.companyName} failed: ${failed.map((f) => f.lastError).join('; ')}`,
        };
      }
      ctx.emit({ type: 'CUSTOMER_DONE', message: `${customer.companyName} is consolidated.` });
      return { type: 'done', state: 'DONE' };
    }
    const licensesDone = licenses.every((c) => c.status === 'DONE');
    const requested = azure.some((c) => ['REQUESTED', 'MIGRATED'].includes(c.state));
    const state =
      requested && licensesDone
        ? 'AZURE_MIGRATION_REQUESTED'
        : licensesDone && licenses.length > 0
          ? 'REPROVISIONED'
          : ctx.item.state;
    // Children wake this item as they progress; the fallback recheck only covers a missed wake.
    return {
      type: 'wait',
      reason: `Waiting for ${customer.companyName}'s subscriptions to move.`,
      until: later(ctx, wakeFallbackMs),
      state,
    };
  };

  // ---- LICENSE_REPROVISION ---------------------------------------------------------------------

  const order = async (ctx: StepContext): Promise<StepOutcome> => {
    const wf = workflowData(ctx);
    const sub = data<SubscriptionItemData>(ctx);
    const customerId = ctx.item.customerTenantId as string;
    const target = clients.forTenant(wf.target.tenantId);
    // R-CON-8: from the first re-provisioning on, the consolidation cannot be canceled.
    if (!(await ctx.markIrreversible())) {
      return { type: 'wait', reason: 'The workflow was canceled.' };
    }
    const parent = ctx.item.parentItemId
      ? await engineRepo.getItem(db, ctx.item.parentItemId)
      : undefined;
    const preexisting =
      (JSON.parse(parent?.dataJson ?? '{}') as Partial<CustomerItemData>)
        .targetSubscriptionsAtAcceptance ??
      (
        await target
          .listSubscriptions(customerId)
          .catch((e: unknown) => (isNotFound(e) ? [] : Promise.reject(e)))
      ).map((s) => s.id);
    // R-CON-3 / R-CON-7: same offer and seats, ordered from the TARGET tenant only.
    const result = await ctx.journaled<{ orderId: string | null; subscriptionId: string }>(
      'order',
      { offerId: sub.offerId, quantity: sub.seats, preexisting },
      {
        // After a crash between the order and its journal entry: a target subscription of this
        // offer and seats that existed neither at acceptance nor as another item's journalled order.
        lookup: async (intent) => {
          const known = new Set((intent as { preexisting?: string[] } | null)?.preexisting ?? []);
          for (const id of await engineRepo.journalledResultIds(
            db,
            ctx.workflow.id,
            'order',
            ctx.item.id,
          )) {
            known.add(id);
          }
          const found = (await target.listSubscriptions(customerId)).find(
            (s) =>
              s.offerId.toUpperCase() === sub.offerId.toUpperCase() &&
              !known.has(s.id) &&
              s.quantity === sub.seats,
          );
          return found ? { orderId: found.orderId ?? null, subscriptionId: found.id } : undefined;
        },
        call: async (requestId) => {
          const created = await createOrder(
            target,
            customerId,
            {
              referenceCustomerId: customerId,
              ...(sub.billingCycle ? { billingCycle: sub.billingCycle } : {}),
              lineItems: [
                {
                  lineItemNumber: 0,
                  offerId: sub.offerId,
                  quantity: sub.seats,
                  ...(sub.friendlyName ? { friendlyName: sub.friendlyName } : {}),
                  ...(sub.partnerIdOnRecord ? { partnerIdOnRecord: sub.partnerIdOnRecord } : {}),
                },
              ],
              attributes: { objectType: 'Order' },
            },
            requestId,
          );
          const subscriptionId = created.lineItems[0]?.subscriptionId;
          if (!subscriptionId) {
            throw new PartnerCenterError({
              operation: 'POST orders',
              status: 500,
              code: 'NO_SUBSCRIPTION_ID',
              description: 'the order has no subscription id on its line item',
              retryable: false,
              requestId,
              correlationId: '',
            });
          }
          return { orderId: created.id, subscriptionId };
        },
      },
    );
    ctx.emit({
      type: 'TARGET_ORDERED',
      message: `Ordered ${sub.seats} × ${sub.offerName ?? sub.offerId} for ${sub.companyName} under ${wf.target.name} (subscription ${result.subscriptionId}).`,
      subscriptionId: result.subscriptionId,
      partnerTenantId: wf.target.tenantId,
    });
    await activity(ctx, {
      operation: 'create_order',
      details: `Re-provisioned ${sub.offerName ?? sub.offerId} × ${sub.seats} for ${sub.companyName} in ${wf.target.name} (replaces ${sub.sourceSubscriptionId}).`,
      subscriptionId: result.subscriptionId,
      externalId: `${ctx.item.id}:order`,
      tenantId: wf.target.tenantId,
    });
    // The customer item only looks at finished subscriptions (and Azure requests): not woken for
    // intermediate license progress.
    return {
      type: 'next',
      step: 'await_active',
      state: 'ORDERED',
      data: { orderId: result.orderId ?? undefined, targetSubscriptionId: result.subscriptionId },
      quiet: true,
    };
  };

  const awaitActive = async (ctx: StepContext): Promise<StepOutcome> => {
    const wf = workflowData(ctx);
    const sub = data<SubscriptionItemData>(ctx);
    const target = await clients
      .forTenant(wf.target.tenantId)
      .getSubscription(ctx.item.customerTenantId as string, sub.targetSubscriptionId as string);
    if (target.status !== 'active') {
      return {
        type: 'wait',
        reason: `Target subscription ${target.id} is ${target.status}; waiting for it to be active.`,
        until: later(ctx, provisioningRecheckMs),
        quiet: true,
      };
    }
    const targetActiveAt = ctx.now().toISOString();
    ctx.emit({
      type: 'TARGET_ACTIVE',
      message: `${sub.offerName ?? sub.offerId} for ${sub.companyName} is active under ${wf.target.name}.`,
      subscriptionId: target.id,
    });
    return {
      type: 'next',
      step: 'suspend_source',
      state: 'TARGET_ACTIVE',
      data: { targetActiveAt },
      quiet: true,
    };
  };

  const suspendSource = async (ctx: StepContext): Promise<StepOutcome> => {
    const sub = data<SubscriptionItemData>(ctx);
    if (!sub.targetActiveAt) {
      // R-CON-4: never suspend before the replacement is active.
      return { type: 'next', step: 'await_active' };
    }
    const now = ctx.now().toISOString();
    if (
      utcDay(now) !== utcDay(sub.targetActiveAt) &&
      !(ctx.data as { overlapFlagged?: boolean }).overlapFlagged
    ) {
      // R-CON-4: flagged at once, not discovered later; the suspension still happens now.
      ctx.block({
        code: 'OVERLAP_EXCEEDS_SAME_DAY',
        message: `Source subscription ${sub.sourceSubscriptionId} of ${sub.companyName} is still active on ${utcDay(now)}, after its replacement became active on ${utcDay(sub.targetActiveAt)}: double billing Microsoft will not credit.`,
        subject: sub.sourceSubscriptionId,
      });
      ctx.emit({
        type: 'BLOCKER',
        message: `Billing overlap beyond the same day for ${sub.companyName} (${sub.sourceSubscriptionId}).`,
        subscriptionId: sub.sourceSubscriptionId,
      });
    }
    const source = clients.forTenant(sub.sourceTenantId);
    const customerId = ctx.item.customerTenantId as string;
    const result = await ctx.journaled<{ suspendedAt: string }>(
      'suspend',
      { sourceSubscriptionId: sub.sourceSubscriptionId },
      {
        lookup: async () => {
          const current = await source.getSubscription(customerId, sub.sourceSubscriptionId);
          return current.status === 'suspended' ? { suspendedAt: now } : undefined;
        },
        call: async (requestId) => {
          await setSubscriptionStatus(
            source,
            customerId,
            sub.sourceSubscriptionId,
            'suspended',
            requestId,
          );
          return { suspendedAt: ctx.now().toISOString() };
        },
      },
    );
    const days = overlapDays(sub.targetActiveAt, result.suspendedAt);
    ctx.emit({
      type: 'SOURCE_SUSPENDED',
      message: `Suspended source subscription ${sub.sourceSubscriptionId} of ${sub.companyName} (overlap ${days} day(s)).`,
      subscriptionId: sub.sourceSubscriptionId,
      partnerTenantId: sub.sourceTenantId,
    });
    await activity(ctx, {
      operation: 'suspend_subscription',
      details: `Suspended ${sub.offerName ?? sub.offerId} (${sub.sourceSubscriptionId}) of ${sub.companyName} in the source tenant the day its replacement became active.`,
      subscriptionId: sub.sourceSubscriptionId,
      externalId: `${ctx.item.id}:suspend`,
      tenantId: sub.sourceTenantId,
    });
    return {
      type: 'done',
      state: 'DONE',
      data: { sourceSuspendedAt: result.suspendedAt, overlapDays: days },
    };
  };

  // ---- AZURE_SUPPORT_MIGRATION -----------------------------------------------------------------

  // A workflow's support item never changes: looked up once per workflow, not per Azure item.
  const supportItems = new Map<string, string | undefined>();
  const supportItemId = async (ctx: StepContext) => {
    if (!supportItems.has(ctx.workflow.id)) {
      const [row] = await engineRepo.itemsOfKind(db, ctx.workflow.id, SUPPORT_REQUEST);
      if (supportItems.size >= 1_000) {
        supportItems.clear();
      }
      supportItems.set(ctx.workflow.id, row?.id);
    }
    return supportItems.get(ctx.workflow.id);
  };

  const azureReady = async (ctx: StepContext): Promise<StepOutcome> => {
    // R-CON-6: ready for Microsoft support once the customer accepted the target.
    const supportId = await supportItemId(ctx);
    if (supportId) {
      await engineRepo.wakeItems(db, [supportId], ctx.now().toISOString());
    }
    return {
      type: 'wait',
      step: 'await_request',
      reason: 'Ready for the Microsoft support request.',
      state: 'READY',
      until: later(ctx, 0),
      quiet: true,
    };
  };

  const azureAwaitRequest = async (ctx: StepContext): Promise<StepOutcome> => {
    const supportId = await supportItemId(ctx);
    const batches = supportId ? await engineRepo.succeededSteps(db, supportId) : [];
    for (const step of batches) {
      const batch = JSON.parse(step.resultJson ?? 'null') as SupportBatchResult | null;
      if (batch?.itemIds.includes(ctx.item.id)) {
        return {
          type: 'next',
          step: 'await_migration',
          state: 'REQUESTED',
          data: { serviceRequestId: batch.serviceRequestId },
        };
      }
    }
    return {
      type: 'wait',
      reason: 'Waiting for the Microsoft support request to be filed.',
      until: later(ctx, wakeFallbackMs),
      state: 'READY',
      quiet: true,
    };
  };

  const azureAwaitMigration = async (ctx: StepContext): Promise<StepOutcome> => {
    const wf = workflowData(ctx);
    const sub = data<SubscriptionItemData>(ctx);
    const customerId = ctx.item.customerTenantId as string;
    const [targetSubs, source] = await Promise.all([
      clients.forTenant(wf.target.tenantId).listSubscriptions(customerId),
      clients.forTenant(sub.sourceTenantId).getSubscription(customerId, sub.sourceSubscriptionId),
    ]);
    const azureId = (sub.azureSubscriptionId ?? '').toLowerCase();
    // The moved subscription keeps its Azure subscription id (legacy Azure) or names its origin
    // (`migratedFromSubscriptionId`, e.g. an Azure plan, whose own id changes).
    const moved = targetSubs.find(
      (s) =>
        s.status === 'active' &&
        ((s.entitlementId ?? '').toLowerCase() === azureId ||
          s.migratedFromSubscriptionId?.toLowerCase() === sub.sourceSubscriptionId.toLowerCase()),
    );
    // R-CON-6: verified only when the source shows Suspended and the target Active.
    if (!moved || source.status !== 'suspended') {
      return {
        type: 'wait',
        reason: `Waiting for Microsoft support to migrate Azure subscription ${sub.azureSubscriptionId} of ${sub.companyName} (service request ${sub.serviceRequestId ?? '?'}).`,
        quiet: true,
      };
    }
    const now = ctx.now().toISOString();
    ctx.emit({
      type: 'AZURE_MIGRATED',
      message: `Azure subscription ${sub.azureSubscriptionId} of ${sub.companyName} is active under ${wf.target.name} and suspended at the source.`,
      subscriptionId: moved.id,
    });
    await activity(ctx, {
      operation: 'azure_subscription_migrated',
      details: `Microsoft support migrated Azure subscription ${sub.azureSubscriptionId} of ${sub.companyName} to ${wf.target.name} (service request ${sub.serviceRequestId ?? '?'}).`,
      subscriptionId: moved.id,
      externalId: `${ctx.item.id}:migrated`,
      tenantId: wf.target.tenantId,
    });
    return {
      type: 'done',
      state: 'MIGRATED',
      data: {
        targetSubscriptionId: moved.id,
        targetActiveAt: now,
        sourceSuspendedAt: now,
        overlapDays: 0,
      },
    };
  };

  // ---- SUPPORT_REQUEST -------------------------------------------------------------------------

  const collect = async (ctx: StepContext): Promise<StepOutcome> => {
    const wf = workflowData(ctx);
    const azure = await engineRepo.itemsOfKind(db, ctx.workflow.id, AZURE_SUPPORT_MIGRATION);
    const done = await engineRepo.succeededSteps(db, ctx.item.id);
    const assigned = new Set(
      done.flatMap(
        (s) => (JSON.parse(s.resultJson ?? 'null') as SupportBatchResult | null)?.itemIds ?? [],
      ),
    );
    const ready = azure.filter((i) => i.state === 'READY' && !assigned.has(i.id));
    if (ready.length > 0) {
      const batchNo = done.length + 1;
      const target = clients.forTenant(wf.target.tenantId);
      const items = ready.map((i) => ({
        id: i.id,
        ...(JSON.parse(i.dataJson) as SubscriptionItemData),
        customerTenantId: i.customerTenantId,
      }));
      const companyNames = [...new Set(items.map((i) => i.companyName))].sort();
      const tag = `[csp-migrations ${ctx.workflow.id.slice(0, 8)}-${batchNo}]`;
      const title = `Regional tenant consolidation: migrate Azure subscriptions ${tag}`;
      const sourceNames = wf.sources
        .map((s) => `${s.name} (tenant ${s.tenantId}, Partner ID ${s.mpnId})`)
        .join(', ');
      const description = [
        `Regional authorization tenant consolidation. Transition from: ${sourceNames}. Transition to: ${wf.target.name} (tenant ${wf.target.tenantId}, Partner ID ${wf.target.mpnId}).`,
        `The following customers have accepted the reseller relationship with the transition-to tenant; please migrate their Azure usage-based subscriptions with all deployed resources.`,
        `Customers (company names): ${companyNames.join('; ')}.`,
        ...items.map(
          (i) =>
            `- ${i.companyName} (customer tenant ${i.customerTenantId}): Azure subscription ${i.azureSubscriptionId}, Partner Center subscription ${i.sourceSubscriptionId}, from tenant ${i.sourceTenantId}.`,
        ),
      ].join('\n');
      const batch = await ctx.journaled<SupportBatchResult>(
        `request-${batchNo}`,
        { itemIds: items.map((i) => i.id), companyNames },
        {
          lookup: async () => {
            const existing = (await listServiceRequests(target)).find((sr) =>
              sr.title?.includes(tag),
            );
            return existing
              ? { serviceRequestId: existing.id, itemIds: items.map((i) => i.id), companyNames }
              : undefined;
          },
          call: async (requestId) => {
            const topics = await listSupportTopics(target);
            const topic =
              topics.find((t) => /subscription management/i.test(t.name)) ??
              topics.find((t) => /azure/i.test(t.name)) ??
              topics[0];
            const created = await createServiceRequest(
              target,
              {
                title,
                description,
                severity: 'minimal',
                supportTopicId: topic?.id ?? '0',
                ...(topic ? { supportTopicName: topic.name } : {}),
                productName: 'Microsoft Azure',
                countryCode: wf.target.country,
              },
              requestId,
            );
            return { serviceRequestId: created.id, itemIds: items.map((i) => i.id), companyNames };
          },
        },
      );
      await engineRepo.wakeItems(db, batch.itemIds, ctx.now().toISOString());
      ctx.emit({
        type: 'SUPPORT_REQUESTED',
        message: `Service request ${batch.serviceRequestId} asks Microsoft support to migrate the Azure subscriptions of: ${batch.companyNames.join(', ')}.`,
        partnerTenantId: wf.target.tenantId,
      });
      await insertActivityEntries(db, [
        {
          organizationId: ctx.workflow.organizationId,
          at: ctx.now().toISOString(),
          actor: wf.startedBy ?? ctx.workflow.createdBy,
          operation: 'create_service_request',
          source: 'PRODUCT',
          partnerTenantId: wf.target.tenantId,
          customerTenantId: null,
          customerName: batch.companyNames.join(', '),
          workflowId: ctx.workflow.id,
          subscriptionId: null,
          details: `Service request ${batch.serviceRequestId}: migrate Azure subscriptions of ${batch.companyNames.join(', ')}.`,
          externalId: `wf:${ctx.item.id}:request-${batchNo}`,
        },
      ]);
      return { type: 'next', step: 'collect', state: 'REQUESTED' };
    }
    const open = azure.filter(
      (i) => !assigned.has(i.id) && ['PENDING', 'RUNNING', 'WAITING'].includes(i.status),
    );
    if (open.length === 0) {
      return { type: 'done', state: 'DONE' };
    }
    return {
      type: 'wait',
      reason: `${open.length} Azure subscription(s) wait for their customer to accept before support can be asked.`,
      until: later(ctx, wakeFallbackMs),
    };
  };

  /**
   * R-CON-4: a source subscription must never stay active past the end of the UTC day on which its
   * replacement became active. A license item whose replacement is active but whose source is not
   * suspended by then is flagged as a blocker at once (once per item).
   */
  const sweep = async (now: Date): Promise<string[]> => {
    const today = now.toISOString().slice(0, 10);
    const pending = await engineRepo.itemsInState(db, LICENSE_REPROVISION, 'TARGET_ACTIVE');
    const changed: string[] = [];
    for (const item of pending) {
      const d = JSON.parse(item.dataJson) as SubscriptionItemData & { overlapFlagged?: boolean };
      if (!d.targetActiveAt || d.overlapFlagged || utcDay(d.targetActiveAt) >= today) {
        continue;
      }
      const flagged = await engineRepo.flagItemOnce(db, item, now.toISOString(), {
        code: 'OVERLAP_EXCEEDS_SAME_DAY',
        message: `Source subscription ${d.sourceSubscriptionId} of ${d.companyName} is still active on ${today}, after its replacement became active on ${utcDay(d.targetActiveAt)}: double billing Microsoft will not credit (R-CON-4).`,
        subject: d.sourceSubscriptionId,
        customerTenantId: item.customerTenantId,
        itemId: item.id,
      });
      if (flagged) {
        changed.push(item.workflowId);
      }
    }
    return changed;
  };

  return {
    kind: 'TENANT_CONSOLIDATION',
    sweep,
    steps: {
      invite,
      await_acceptance: awaitAcceptance,
      await_children: awaitChildren,
      order,
      await_active: awaitActive,
      suspend_source: suspendSource,
      ready: azureReady,
      await_request: azureAwaitRequest,
      await_migration: azureAwaitMigration,
      collect,
    },
  };
}
