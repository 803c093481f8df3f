import type { z } from 'zod';
import type { EmulatorControl } from '../control/control.js';
import type { StateSnapshot } from '../core/model.js';
import { parseBody } from '../http/body.js';
import { json, noContent, PcHttpError } from '../http/responses.js';
import type { BaseRequest, ControlRoute } from '../http/router.js';
import { requestedScenario, type ScenarioSources } from '../scenarios/scenario-source.js';
import { autopilotPatchSchema } from '../scenarios/scenario.schema.js';
import {
  acceptSchema,
  advanceSchema,
  asBadRequest,
  faultsBodySchema,
  intQuery,
  resetSchema,
  setClockSchema,
  stateSchema,
  throttlingSchema,
} from './control.schemas.js';

function body<S extends z.ZodTypeAny>(req: BaseRequest, schema: S): z.output<S> {
  return parseBody(req.bodyText, schema);
}

/** `/_emulator/*`: the control API (issue 3 §8). Served only by the emulator, never by the API. */
export function controlHandlers(
  control: EmulatorControl,
  options: { scenarios: ScenarioSources },
): ControlRoute[] {
  return [
    {
      method: 'POST',
      pattern: '/_emulator/reset',
      handle: async (req) => {
        const b = body(req, resetSchema);
        const ref = b.scenario ?? b.preset;
        await asBadRequest('The scenario cannot be used', () =>
          control.reset({
            scenario: ref === undefined ? undefined : requestedScenario(ref, options.scenarios),
            seed: b.seed,
          }),
        );
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
      handle: async (req) => {
        if (req.bodyText.trim() === '') {
          throw new PcHttpError(
            400,
            800002,
            'The state must be JSON (a GET /_emulator/state answer).',
          );
        }
        const snapshot = body(req, stateSchema) as unknown as StateSnapshot;
        await asBadRequest('The state cannot be loaded', () => {
          try {
            control.loadState(snapshot);
          } catch (err) {
            if (err instanceof TypeError) {
              throw new RangeError('a record is malformed.');
            }
            throw err;
          }
        });
        return json({ ok: true, ...control.clock() });
      },
    },
    { method: 'GET', pattern: '/_emulator/clock', handle: () => json(control.clock()) },
    {
      method: 'PUT',
      pattern: '/_emulator/clock',
      handle: async (req) => {
        const { now } = body(req, setClockSchema);
        return json(await asBadRequest('The clock cannot be set', () => control.setClock(now)));
      },
    },
    {
      method: 'POST',
      pattern: '/_emulator/clock/advance',
      handle: async (req) => {
        const { duration } = body(req, advanceSchema);
        return json(
          await asBadRequest('The clock cannot be advanced', () => control.advanceClock(duration)),
        );
      },
    },
    { method: 'GET', pattern: '/_emulator/autopilot', handle: () => json(control.autopilot()) },
    {
      method: 'PUT',
      pattern: '/_emulator/autopilot',
      handle: (req) => json(control.setAutopilot(body(req, autopilotPatchSchema))),
    },
    { method: 'GET', pattern: '/_emulator/actions', handle: () => json(control.pendingActions()) },
    { method: 'GET', pattern: '/_emulator/counts', handle: () => json(control.counts()) },
    { method: 'GET', pattern: '/_emulator/faults', handle: () => json(control.faults()) },
    {
      method: 'POST',
      pattern: '/_emulator/faults',
      handle: async (req) => {
        const parsed = body(req, faultsBodySchema);
        const rules = Array.isArray(parsed) ? parsed : [parsed];
        const added = await asBadRequest('Invalid fault rule', () =>
          rules.map((r) => control.addFault(r)),
        );
        return json(Array.isArray(parsed) ? added : added[0], 201);
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
        return json(
          control.requests({
            method: req.query('method') ?? undefined,
            pathPrefix: req.query('pathPrefix') ?? undefined,
            tenantId: req.query('tenantId') ?? undefined,
            status: intQuery(req.query('status'), 'status', 0, 599),
            limit: intQuery(req.query('limit'), 'limit', 0, 1_000_000),
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
        if (tenantId.length > 64) {
          throw new PcHttpError(400, 800002, 'tenantId is at most 64 characters.', ['tenantId']);
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
