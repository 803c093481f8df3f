import { z } from 'zod';
import type { GdapControl } from '../control/gdap-control.js';
import { parseBody } from '../http/body.js';
import { json, noContent } from '../http/responses.js';
import type { ControlRoute } from '../http/router.js';
import { gdapDecisionSchema, gdapSettingsSchema } from '../scenarios/gdap.scenario.js';

const decideSchema = z.object({ customerTenantId: z.string().optional() }).strict();
const decisionSchema = z.object({ decision: gdapDecisionSchema }).strict();

/** `/_emulator/gdap/*` and `/_emulator/customers/{id}/gdap-decision` (README "Control API"). */
export function gdapControlHandlers(gdap: GdapControl): ControlRoute[] {
  return [
    {
      method: 'GET',
      pattern: '/_emulator/gdap/relationships',
      handle: () => json(gdap.relationships()),
    },
    { method: 'GET', pattern: '/_emulator/gdap/settings', handle: () => json(gdap.settings()) },
    {
      method: 'PUT',
      pattern: '/_emulator/gdap/settings',
      handle: (req) => json(gdap.setSettings(parseBody(req.bodyText, gdapSettingsSchema))),
    },
    {
      method: 'POST',
      pattern: '/_emulator/gdap/relationships/:id/approve',
      handle: (req) =>
        json(
          gdap.approve(req.params.id ?? '', parseBody(req.bodyText, decideSchema).customerTenantId),
        ),
    },
    {
      method: 'POST',
      pattern: '/_emulator/gdap/relationships/:id/reject',
      handle: (req) =>
        json(
          gdap.reject(req.params.id ?? '', parseBody(req.bodyText, decideSchema).customerTenantId),
        ),
    },
    {
      method: 'PUT',
      pattern: '/_emulator/customers/:customerTenantId/gdap-decision',
      handle: (req) => {
        gdap.setDecision(
          req.params.customerTenantId ?? '',
          parseBody(req.bodyText, decisionSchema).decision,
        );
        return noContent();
      },
    },
  ];
}
