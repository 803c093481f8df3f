import { z } from 'zod';
import type { EmulatorRuntime } from '../core/runtime.js';
import { scheduleView } from '../domain/migration-schedules.service.js';
import { migrationView } from '../domain/migrations.service.js';
import { transferView } from '../domain/transfer.views.js';
import { rescheduleSourceAccept, sourceBehaviour } from '../domain/transfer-timers.js';
import { acceptAsSource } from '../domain/transfer-source.js';
import { parseBody } from '../http/body.js';
import { errors, json } from '../http/responses.js';
import type { ControlRoute } from '../http/router.js';
import { toTransferBehaviour } from '../scenarios/build-commerce.js';
import { transferBehaviourSchema } from '../scenarios/scenario.schema.js';

const transferAutopilotSchema = z.object({ sourceAccepts: transferBehaviourSchema }).strict();
const partnerAutopilotSchema = z.object({ acceptTransfers: transferBehaviourSchema }).strict();

/**
 * Control API for transfers and migrations (`/_emulator/...`): list them, play the source partner
 * of a transfer now, and set who plays a source partner (per transfer or per partner tenant).
 */
export function commerceControlHandlers(rt: EmulatorRuntime): ControlRoute[] {
  const transfer = (id: string) => {
    const t = rt.store.commerce.transfers.get(id.toLowerCase());
    if (!t) {
      throw errors.notFound(`Transfer ${id}`);
    }
    return t;
  };
  const withAutopilot = (t: Parameters<typeof transferView>[0]) => ({
    ...transferView(t),
    sourceAccepts: sourceBehaviour(rt.store, t),
  });
  return [
    {
      method: 'GET',
      pattern: '/_emulator/transfers',
      handle: () => json([...rt.store.commerce.transfers.values()].map(withAutopilot)),
    },
    {
      method: 'POST',
      pattern: '/_emulator/transfers/:id/accept',
      handle: (req) => {
        const t = transfer(req.params.id ?? '');
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
        return json(withAutopilot(t));
      },
    },
    {
      method: 'PUT',
      pattern: '/_emulator/transfers/:id/autopilot',
      handle: (req) => {
        const t = transfer(req.params.id ?? '');
        t.sourceAccepts = toTransferBehaviour(
          parseBody(req.bodyText, transferAutopilotSchema).sourceAccepts,
        );
        rescheduleSourceAccept(rt.store, t, rt.now());
        return json(withAutopilot(t));
      },
    },
    {
      method: 'PUT',
      pattern: '/_emulator/partners/:tenantId/autopilot',
      handle: (req) => {
        const tenantId = (req.params.tenantId ?? '').toLowerCase();
        if (!rt.store.partners.has(tenantId)) {
          throw errors.notFound(`Partner tenant ${tenantId}`);
        }
        const acceptTransfers = toTransferBehaviour(
          parseBody(req.bodyText, partnerAutopilotSchema).acceptTransfers,
        );
        rt.store.commerce.partnerActors.set(tenantId, {
          partnerTenantId: tenantId,
          acceptTransfers,
        });
        for (const t of rt.store.commerce.transfers.values()) {
          if (t.sourcePartnerTenantId === tenantId && t.sourceAccepts === undefined) {
            rescheduleSourceAccept(rt.store, t, rt.now());
          }
        }
        return json({ partnerTenantId: tenantId, acceptTransfers });
      },
    },
    {
      method: 'GET',
      pattern: '/_emulator/migrations',
      handle: () =>
        json({
          migrations: [...rt.store.commerce.migrations.values()].map(migrationView),
          schedules: [...rt.store.commerce.migrationSchedules.values()].map(scheduleView),
        }),
    },
  ];
}
