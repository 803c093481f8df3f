import { z, ZodError } from 'zod';
import { faultRuleSchema } from '../faults/fault-registry.js';
import { PcHttpError } from '../http/responses.js';
import { ScenarioError } from '../scenarios/presets.js';

/** Bodies of the control API (`/_emulator/*`); every one is validated, errors are 400/800002. */
export const resetSchema = z
  .object({
    scenario: z.union([z.string().min(1).max(256), z.record(z.unknown())]).optional(),
    preset: z.string().min(1).max(256).optional(),
    seed: z.number().int().min(0).max(0xffff_ffff).optional(),
  })
  .strict();

export const advanceSchema = z
  .object({
    duration: z.union([z.string().min(1).max(64), z.number().finite().nonnegative()]),
  })
  .strict();

export const setClockSchema = z.object({ now: z.string().min(1).max(64) }).strict();

export const acceptSchema = z
  .object({
    partnerTenantId: z.string().min(1).max(64),
    delegatedAdmin: z.boolean().optional(),
  })
  .strict();

export const throttlingSchema = z
  .object({
    enabled: z.boolean().optional(),
    timeScale: z.number().min(1e-6).max(1e6).optional(),
    timeSource: z.enum(['real', 'virtual']).optional(),
    limits: z
      .record(
        z.union([
          z.null(),
          z.object({
            limit: z.number().int().positive().max(1_000_000),
            windowSeconds: z.number().positive().max(31_622_400),
            per: z.enum(['partner', 'partner_customer']),
          }),
        ]),
      )
      .optional(),
  })
  .strict();

/** One rule or a list of up to 100 rules. */
export const faultsBodySchema = z.union([
  faultRuleSchema,
  z.array(faultRuleSchema).min(1).max(100),
]);

/** Records with the string keys the store indexes them by; other fields pass through. */
function records(...keys: string[]) {
  return z.array(
    z.object(Object.fromEntries(keys.map((k) => [k, z.string().min(1).max(256)]))).passthrough(),
  );
}

/**
 * The envelope of `PUT /_emulator/state` (a `GET /_emulator/state` answer). Records are checked
 * for their index keys; collections added by later versions pass through.
 */
export const stateSchema = z
  .object({
    formatVersion: z.literal(1, {
      errorMap: () => ({ message: 'Unsupported state formatVersion (expected 1).' }),
    }),
    scenarioName: z.string().max(256),
    seed: z.number().int(),
    now: z.string().max(64),
    rngState: z.number().int(),
    autopilot: z.record(z.unknown()),
    organizations: records('id'),
    partners: records('tenantId', 'organizationId', 'mpnId'),
    customers: records('tenantId'),
    relationships: records('partnerTenantId', 'customerTenantId'),
    agreements: records('customerTenantId'),
    orders: records('id', 'partnerTenantId', 'customerTenantId'),
    subscriptions: records('id', 'partnerTenantId', 'customerTenantId'),
    azureSubscriptions: records('id'),
    entitlementLinks: records('azureSubscriptionId', 'subscriptionId'),
    roleAssignments: records('name', 'azureSubscriptionId'),
    serviceRequests: records('id'),
    auditRecords: records('partnerId'),
    productUpgrades: records('id'),
    transferForms: records('id'),
    invitations: records('partnerTenantId'),
    actions: records('id', 'kind', 'dueAt'),
    idempotency: records('key'),
  })
  .passthrough();

/** `?name=` as an integer within bounds, or undefined when absent. */
export function intQuery(
  value: string | null,
  name: string,
  min: number,
  max: number,
): number | undefined {
  if (value === null || value === '') {
    return undefined;
  }
  const n = /^-?\d{1,12}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new PcHttpError(400, 800002, `${name} must be an integer from ${min} to ${max}.`, [name]);
  }
  return n;
}

function zodMessage(err: ZodError): { message: string; data: string[] } {
  const data = err.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
  return { message: data.join('; '), data };
}

/**
 * Runs a control operation; invalid values it finds (a bad instant, an unusable scenario, a state
 * that does not load) become 400/800002 instead of 500.
 */
export async function asBadRequest<T>(what: string, run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof PcHttpError) {
      throw err;
    }
    if (err instanceof ZodError) {
      const { message, data } = zodMessage(err);
      throw new PcHttpError(400, 800002, `${what}: ${message}`, data);
    }
    if (err instanceof ScenarioError || err instanceof RangeError) {
      throw new PcHttpError(400, 800002, `${what}: ${err.message}`);
    }
    throw err;
  }
}
