import { z } from 'zod';
import type { CommerceControl } from '../control/commerce-control.js';
import { parseBody } from '../http/body.js';
import { json } from '../http/responses.js';
import type { ControlRoute } from '../http/router.js';
import { transferBehaviourSchema } from '../scenarios/scenario.schema.js';

const transferAutopilotSchema = z.object({ sourceAccepts: transferBehaviourSchema }).strict();
const partnerAutopilotSchema = z.object({ acceptTransfers: transferBehaviourSchema }).strict();

/**
 * Control API for transfers and migrations (`/_emulator/...`): list them, play the source partner
 * of a transfer now, and set who plays a source partner (per transfer or per partner tenant).
 */
export function commerceControlHandlers(control: CommerceControl): ControlRoute[] {
  return [
    { method: 'GET', pattern: '/_emulator/transfers', handle: () => json(control.transfers()) },
    {
      method: 'POST',
      pattern: '/_emulator/transfers/:id/accept',
      handle: (req) => json(control.acceptTransferAsSource(req.params.id ?? '')),
    },
    {
      method: 'POST',
      pattern: '/_emulator/transfers/:id/reject',
      handle: (req) => json(control.rejectTransferAsSource(req.params.id ?? '')),
    },
    {
      method: 'PUT',
      pattern: '/_emulator/transfers/:id/autopilot',
      handle: (req) =>
        json(
          control.setTransferAutopilot(
            req.params.id ?? '',
            parseBody(req.bodyText, transferAutopilotSchema).sourceAccepts,
          ),
        ),
    },
    {
      method: 'PUT',
      pattern: '/_emulator/partners/:tenantId/autopilot',
      handle: (req) =>
        json(
          control.setPartnerTransferAutopilot(
            req.params.tenantId ?? '',
            parseBody(req.bodyText, partnerAutopilotSchema).acceptTransfers,
          ),
        ),
    },
    { method: 'GET', pattern: '/_emulator/migrations', handle: () => json(control.migrations()) },
  ];
}
