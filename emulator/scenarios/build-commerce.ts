import type { TransferActorBehaviour, TransferRecord } from '../core/commerce.model.js';
import { DAY_MS } from '../core/duration.js';
import type { CustomerRecord, PartnerTenantRecord } from '../core/model.js';
import type { Store } from '../core/store.js';
import { expiryOf, scheduleTransferTimers } from '../domain/transfer-timers.js';
import type { ParsedTransfer, TransferBehaviourInput } from './scenario.schema.js';

export function toTransferBehaviour(input: TransferBehaviourInput): TransferActorBehaviour {
  if (input === 'manual') {
    return { mode: 'manual' };
  }
  if (input === 'never' || input === 'default') {
    return { mode: input };
  }
  return { mode: 'after', hours: typeof input === 'number' ? input : input.afterHours };
}

/**
 * Scenario `transfers`: new-commerce transfer requests the target already created and the source
 * has not answered yet (status Pending), with their expiry and source autopilot on the clock.
 */
export function addScenarioTransfers(
  store: Store,
  transfers: ParsedTransfer[],
  now: Date,
  resolve: {
    partner(key: string): PartnerTenantRecord;
    customer(key: string): CustomerRecord;
  },
): void {
  for (const def of transfers) {
    const customer = resolve.customer(def.customer);
    const source = resolve.partner(def.source);
    const target = resolve.partner(def.target);
    if (!store.relationship(target.tenantId, customer.tenantId)) {
      throw new Error(`Scenario transfer: ${def.target} has no relationship with ${def.customer}`);
    }
    const created = new Date(
      Math.floor((now.getTime() - def.createdDaysAgo * DAY_MS) / 1000) * 1000,
    );
    const transfer: TransferRecord = {
      id: (def.id ?? store.rng.uuid()).toLowerCase(),
      flow: 'new_commerce',
      customerTenantId: customer.tenantId,
      customerName: customer.companyName,
      customerEmailId: customer.email,
      sourcePartnerTenantId: source.tenantId,
      sourcePartnerName: source.name,
      targetPartnerTenantId: target.tenantId,
      targetPartnerName: target.name,
      targetPartnerEmailId: `admin@${target.domain}`,
      targetProductTypes: def.targetProductTypes,
      transferType: def.transferType,
      partnerIdOnRecord: null,
      status: 'Pending',
      createdTime: created.toISOString(),
      lastModifiedTime: created.toISOString(),
      lastModifiedUser: `admin@${target.domain}`,
      expirationTime: expiryOf(store, created),
      completedTime: null,
      lineItems: [],
      ...(def.sourceAccepts !== undefined
        ? { sourceAccepts: toTransferBehaviour(def.sourceAccepts) }
        : {}),
    };
    store.commerce.transfers.set(transfer.id, transfer);
    scheduleTransferTimers(store, transfer, now);
  }
}
