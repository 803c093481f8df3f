import { z } from 'zod';
import type { EmulatorControl } from '../control/control.js';
import type { StateSnapshot } from '../core/model.js';
import { faultRuleSchema } from '../faults/fault-registry.js';
import { parseBody } from '../http/body.js';
import { json, noContent, PcHttpError } from '../http/responses.js';
import type { BaseRequest, ControlRoute } from '../http/router.js';
import { autopilotPatchSchema } from '../scenarios/scenario.schema.js';

const resetSchema = z.object({
  scenario: z.union([z.string(), z.record(z.unknown())]).optional(),
  preset: z.string().optional(),
  seed: z.number().int().optional(),
});

const advanceSchema = z.object({ duration: z.union([z.string(), z.number()]) });
const setClockSchema = z.object({ now: z.string() });
const acceptSchema = z.object({
  partnerTenantId: z.string(),
  delegatedAdmin: z.boolean().optional(),
});
const throttlingSchema = z.object({
  enabled: z.boolean().optional(),
  timeScale: z.number().positive().optional(),
  timeSource: z.enum(['real', 'virtual']).optional(),
  limits: z
    .record(
      z.union([
        z.null(),
        z.object({
          limit: z.number().int().positive(),
          windowSeconds: z.number().positive(),
          per: z.enum(['partner', 'partner_customer']),
        }),
      ]),
    )
    .optional(),
});

function body<S extends z.ZodTypeAny>(req: BaseRequest, schema: S): z.output<S> {
  return parseBody(req.bodyText, schema);
}

/** `/_emulator/*`: the control API (issue 3 §8). Served only by the emulator, never by the API. */
export function controlHandlers(control: EmulatorControl): ControlRoute[] {
  return [
    {
      method: 'POST',
      pattern: '/_emulator/reset',
      handle: (req) => {
        const b = body(req, resetSchema);
        control.reset({ scenario: (b.scenario ?? b.preset) as string | undefined, seed: b.seed });
        return json({
          ok: true,
          ...control.clock(),
          partners: control.partners().length,
          customers: control.customers().length,
        });
      },
    },
    { method: 'GET', pattern: '/_emulator/partners', handle: () => json(control.partners()) },
    { method: 'GET', pattern: '/_emulator/customers', handle: () => json(control.customers()) },
    { method: 'GET', pattern: '/_emulator/offers', handle: () => json(control.offers()) },
    { method: 'GET', pattern: '/_emulator/state', handle: () => json(control.state()) },
    {
      method: 'PUT',
      pattern: '/_emulator/state',
      handle: (req) => {
        let snapshot: StateSnapshot;
        try {
          snapshot = JSON.parse(req.bodyText) as StateSnapshot;
        } catch {
          throw new PcHttpError(400, 800002, 'The state must be JSON.');
        }
        if (snapshot.formatVersion !== 1) {
          throw new PcHttpError(400, 800002, 'Unsupported state formatVersion (expected 1).');
        }
        control.loadState(snapshot);
        return json({ ok: true, ...control.clock() });
      },
    },
    { method: 'GET', pattern: '/_emulator/clock', handle: () => json(control.clock()) },
    {
      method: 'PUT',
      pattern: '/_emulator/clock',
      handle: async (req) => json(await control.setClock(body(req, setClockSchema).now)),
    },
    {
      method: 'POST',
      pattern: '/_emulator/clock/advance',
      handle: async (req) => {
        const { duration } = body(req, advanceSchema);
        try {
          return json(await control.advanceClock(duration));
        } catch (err) {
          throw new PcHttpError(400, 800002, err instanceof Error ? err.message : String(err));
        }
      },
    },
    { method: 'GET', pattern: '/_emulator/autopilot', handle: () => json(control.autopilot()) },
    {
      method: 'PUT',
      pattern: '/_emulator/autopilot',
      handle: (req) => json(control.setAutopilot(body(req, autopilotPatchSchema))),
    },
    { method: 'GET', pattern: '/_emulator/actions', handle: () => json(control.pendingActions()) },
    { method: 'GET', pattern: '/_emulator/faults', handle: () => json(control.faults()) },
    {
      method: 'POST',
      pattern: '/_emulator/faults',
      handle: (req) => {
        const raw = JSON.parse(req.bodyText || '{}') as unknown;
        const rules = Array.isArray(raw) ? raw : [raw];
        const added = rules.map((r) => {
          const parsed = faultRuleSchema.safeParse(r);
          if (!parsed.success) {
            throw new PcHttpError(
              400,
              800002,
              `Invalid fault rule: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
            );
          }
          return control.addFault(parsed.data);
        });
        return json(Array.isArray(raw) ? added : added[0], 201);
      },
    },
    {
      method: 'DELETE',
      pattern: '/_emulator/faults',
      handle: () => {
        control.clearFaults();
        return noContent();
      },
    },
    {
      method: 'DELETE',
      pattern: '/_emulator/faults/:id',
      handle: (req) => {
        control.clearFaults(req.params.id);
        return noContent();
      },
    },
    {
      method: 'GET',
      pattern: '/_emulator/requests',
      handle: (req) => {
        const limit = req.query('limit');
        const status = req.query('status');
        return json(
          control.requests({
            method: req.query('method') ?? undefined,
            pathPrefix: req.query('pathPrefix') ?? undefined,
            tenantId: req.query('tenantId') ?? undefined,
            status: status ? Number(status) : undefined,
            limit: limit ? Number(limit) : undefined,
          }),
        );
      },
    },
    {
      method: 'DELETE',
      pattern: '/_emulator/requests',
      handle: () => {
        control.clearRequests();
        return noContent();
      },
    },
    { method: 'GET', pattern: '/_emulator/throttling', handle: () => json(control.throttling()) },
    {
      method: 'PUT',
      pattern: '/_emulator/throttling',
      handle: (req) => {
        control.setThrottling(
          body(req, throttlingSchema) as Parameters<EmulatorControl['setThrottling']>[0],
        );
        return json(control.throttling());
      },
    },
    {
      method: 'GET',
      pattern: '/_emulator/token',
      handle: (req) => {
        const tenantId = req.query('tenantId');
        if (!tenantId) {
          throw new PcHttpError(400, 800002, 'tenantId is required.');
        }
        return json({ token: control.tokenFor(tenantId), tenantId });
      },
    },
    {
      method: 'POST',
      pattern: '/_emulator/customers/:customerTenantId/accept-relationship',
      handle: (req) => {
        const b = body(req, acceptSchema);
        return json(
          control.acceptRelationship(req.params.customerTenantId ?? '', b.partnerTenantId, {
            delegatedAdmin: b.delegatedAdmin,
          }),
        );
      },
    },
    {
      method: 'POST',
      pattern: '/_emulator/customers/:customerTenantId/sign-mca',
      handle: (req) => json(control.signMca(req.params.customerTenantId ?? '')),
    },
    {
      method: 'GET',
      pattern: '/_emulator/transfer-forms',
      handle: () => json(control.transferForms()),
    },
    {
      method: 'POST',
      pattern: '/_emulator/transfer-forms/:id/sign',
      handle: (req) => json(control.signTransferForm(req.params.id ?? '')),
    },
    {
      method: 'POST',
      pattern: '/_emulator/service-requests/:id/resolve',
      handle: (req) => json(control.resolveServiceRequest(req.params.id ?? '')),
    },
  ];
}
