import { retainAudit } from '../core/retention.js';
import type { AuditRecordRecord, CustomerRecord } from '../core/model.js';
import type { Actor, EmulatorRuntime } from '../core/runtime.js';

/** .NET ticks, as in Partner Center audit ids `{partnerId}_{customerId}_{operation}_{ticks}` (§8). */
function ticks(at: Date, seq: number): string {
  return (BigInt(at.getTime() + 62_135_596_800_000) * 10_000n + BigInt(seq % 10_000)).toString();
}

/** Keys of a JSON object turned to PascalCase, as `resourceNewValue` is serialised (§8). */
function pascal(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(pascal);
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k.charAt(0).toUpperCase() + k.slice(1),
        pascal(v),
      ]),
    );
  }
  return value;
}

export interface AuditInput {
  actor: Actor;
  customer: CustomerRecord | null;
  resourceType: string;
  operationType: string;
  oldValue?: unknown;
  newValue?: unknown;
  customizedData?: Record<string, string>;
  status?: AuditRecordRecord['operationStatus'];
}

/** Appends an audit record to the acting partner's log. Every change in the emulator calls this. */
export function writeAudit(rt: EmulatorRuntime, input: AuditInput): AuditRecordRecord {
  const at = rt.now();
  const customerId = input.customer?.tenantId ?? null;
  const record: AuditRecordRecord = {
    id: `${input.actor.partnerTenantId}_${customerId ?? '00000000-0000-0000-0000-000000000000'}_${input.operationType}_${ticks(at, rt.store.auditSeq)}`,
    partnerId: input.actor.partnerTenantId,
    customerId,
    customerName: input.customer?.companyName ?? null,
    userPrincipalName: input.actor.userPrincipalName,
    applicationId: input.actor.applicationId,
    resourceType: input.resourceType,
    resourceOldValue: input.oldValue === undefined ? null : JSON.stringify(pascal(input.oldValue)),
    resourceNewValue: input.newValue === undefined ? null : JSON.stringify(pascal(input.newValue)),
    operationType: input.operationType,
    originalCorrelationId: input.actor.correlationId,
    operationDate: at.toISOString(),
    operationStatus: input.status ?? 'succeeded',
    customizedData: Object.entries(input.customizedData ?? {}).map(([key, value]) => ({
      key,
      value,
    })),
  };
  rt.store.addAuditRecord(record);
  retainAudit(rt.store, record.partnerId, rt.options.retention, at);
  return record;
}

/** The actor used for changes Microsoft or a customer makes (autopilot, control API). */
export function systemActor(
  partnerTenantId: string,
  who: 'microsoft_support' | 'customer',
  correlationId: string,
): Actor {
  return {
    partnerTenantId,
    userPrincipalName: who === 'microsoft_support' ? 'support@microsoft.com' : 'admin@customer',
    applicationId: who === 'microsoft_support' ? 'Microsoft Support' : 'Microsoft 365 admin center',
    correlationId,
  };
}
