import type { TransferActorBehaviour, TransferRecord } from '../core/commerce.model.js';
import type { EmulatorRuntime } from '../core/runtime.js';
import { scheduleView } from '../domain/migration-schedules.service.js';
import { migrationView } from '../domain/migrations.service.js';
import { transferView } from '../domain/transfer.views.js';
import { acceptAsSource } from '../domain/transfer-source.js';
import { rejectNceTransferAsSource } from '../domain/transfers.service.js';
import { rescheduleSourceAccept, sourceBehaviour } from '../domain/transfer-timers.js';
import { errors } from '../http/responses.js';
import { toTransferBehaviour } from '../scenarios/build-commerce.js';
import type { TransferBehaviourInput } from '../scenarios/scenario.schema.js';

/** A transfer as `GET /_emulator/transfers` lists it: the wire entity plus who plays the source. */
export type TransferInfo = Record<string, unknown> & {
  id: string;
  status: string;
  sourceAccepts: TransferActorBehaviour;
};

/**
 * The typed control API of transfers and migrations (same operations as the `/_emulator/transfers`,
 * `/_emulator/partners/{id}/autopilot` and `/_emulator/migrations` routes). Errors are Partner
 * Center-shaped `PcHttpError`s (404/1000, 400/800002).
 */
export interface CommerceControl {
  transfers(): TransferInfo[];
  /** Play the source partner now: accept a pending new-commerce transfer with every eligible subscription. */
  acceptTransferAsSource(transferId: string): TransferInfo;
  /** [guess] Play the source partner now: decline a pending new-commerce transfer (`Reject`). */
  rejectTransferAsSource(transferId: string): TransferInfo;
  /** Who plays the source of one transfer: hours, `{afterHours}`, `never`, `default` or `manual`. */
  setTransferAutopilot(transferId: string, sourceAccepts: TransferBehaviourInput): TransferInfo;
  /** Who plays a partner tenant as the source of its transfers (reschedules its pending ones). */
  setPartnerTransferAutopilot(
    partnerTenantId: string,
    acceptTransfers: TransferBehaviourInput,
  ): { partnerTenantId: string; acceptTransfers: TransferActorBehaviour };
  migrations(): { migrations: Record<string, unknown>[]; schedules: Record<string, unknown>[] };
}

export function createCommerceControl(rt: EmulatorRuntime): CommerceControl {
  const find = (id: string): TransferRecord => {
    const t = rt.store.commerce.transfers.get(id.toLowerCase());
    if (!t) {
      throw errors.notFound(`Transfer ${id}`);
    }
    return t;
  };
  const info = (t: TransferRecord): TransferInfo =>
    ({ ...transferView(t), sourceAccepts: sourceBehaviour(rt.store, t) }) as TransferInfo;
  return {
    transfers: () => [...rt.store.commerce.transfers.values()].map(info),
    acceptTransferAsSource: (transferId) => {
      const t = find(transferId);
      if (t.flow !== 'new_commerce' || t.status !== 'Pending') {
        throw errors.invalidInput(
          `Transfer ${t.id} is ${t.status}; only a pending new-commerce transfer can be accepted.`,
        );
      }
      acceptAsSource(rt, t.id);
      if (t.status === 'Pending') {
        throw errors.invalidInput(
          `The source partner of transfer ${t.id} has no active subscription it could transfer.`,
        );
      }
      rt.notifyChange();
      return info(t);
    },
    rejectTransferAsSource: (transferId) => {
      const t = rejectNceTransferAsSource(rt, find(transferId));
      rt.notifyChange();
      return info(t);
    },
    setTransferAutopilot: (transferId, sourceAccepts) => {
      const t = find(transferId);
      t.sourceAccepts = toTransferBehaviour(sourceAccepts);
      rescheduleSourceAccept(rt.store, t, rt.now());
      rt.notifyChange();
      return info(t);
    },
    setPartnerTransferAutopilot: (partnerTenantId, input) => {
      const tenantId = partnerTenantId.toLowerCase();
      if (!rt.store.partners.has(tenantId)) {
        throw errors.notFound(`Partner tenant ${partnerTenantId}`);
      }
      const acceptTransfers = toTransferBehaviour(input);
      rt.store.commerce.partnerActors.set(tenantId, { partnerTenantId: tenantId, acceptTransfers });
      for (const t of rt.store.commerce.transfers.values()) {
        if (t.sourcePartnerTenantId === tenantId && t.sourceAccepts === undefined) {
          rescheduleSourceAccept(rt.store, t, rt.now());
        }
      }
      rt.notifyChange();
      return { partnerTenantId: tenantId, acceptTransfers };
    },
    migrations: () => ({
      migrations: [...rt.store.commerce.migrations.values()].map(migrationView),
      schedules: [...rt.store.commerce.migrationSchedules.values()].map(scheduleView),
    }),
  };
}
