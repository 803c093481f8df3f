import { z } from 'zod';
import { addDuration, parseDuration } from '../core/duration.js';
import { customerGdapSchema, gdapSettingsSchema } from './gdap.scenario.js';

/**
 * The human-writable scenario format (documented in emulator/README.md). Partners and customers are
 * referred to by a scenario-local `key`; ids, dates, MPN ids and anything not given are filled in
 * deterministically from the seed.
 */
const behaviour = z.union([
  z.literal('never'),
  z.literal('default'),
  z.number().nonnegative(),
  z.object({ afterHours: z.number().nonnegative() }).strict(),
]);

export type BehaviourInput = z.infer<typeof behaviour>;

/** A partner the autopilot may play in transfers; `manual` (default) leaves it to the client. */
const transferBehaviour = z.union([behaviour, z.literal('manual')]);

export type TransferBehaviourInput = z.infer<typeof transferBehaviour>;
export const transferBehaviourSchema = transferBehaviour;

const resellerSchema = z
  .object({
    key: z.string(),
    name: z.string().optional(),
    country: z.string().length(2).optional(),
    tenantId: z.string().uuid().optional(),
    mpnId: z.string().optional(),
    labels: z.array(z.string()).optional(),
  })
  .strict();

const tenantSchema = z
  .object({
    key: z.string(),
    name: z.string(),
    country: z.string().length(2),
    kind: z.enum(['direct', 'indirect_provider', 'indirect_reseller']).default('direct'),
    labels: z.array(z.string()).default([]),
    tenantId: z.string().uuid().optional(),
    mpnId: z.string().optional(),
    domain: z.string().optional(),
    /** For indirect providers: resellers buying through this tenant (declared here or by key). */
    resellers: z.array(resellerSchema).default([]),
    /** As the source of a new-commerce transfer: accept after hours, `never`, or `manual` (default). */
    autopilot: z.object({ acceptTransfers: transferBehaviour.optional() }).strict().optional(),
  })
  .strict();

const subscriptionSchema = z
  .object({
    partner: z.string(),
    /** Offer alias (`office365-e3`, `azure-legacy`, `azure-plan`, ...) or offer/catalog item id. */
    offer: z.string(),
    quantity: z.number().int().positive().optional(),
    status: z
      .enum(['active', 'suspended', 'deleted', 'pending', 'expired', 'disabled'])
      .default('active'),
    resellerOfRecord: z.string().optional(),
    friendlyName: z.string().optional(),
    id: z.string().uuid().optional(),
    /** Legacy Azure: `"different"` makes the Azure subscription id differ from the subscription id (R-AZP-8). */
    entitlementId: z.string().optional(),
    billingCycle: z.enum(['monthly', 'annual', 'triennial']).optional(),
    createdDaysAgo: z.number().int().nonnegative().optional(),
    /** Term (new commerce: P1M, P1Y, P3Y; legacy licenses are annual commitments). */
    termDuration: z.enum(['P1M', 'P1Y', 'P3Y']).optional(),
    /** Overrides the computed end of the current term (renewal date). */
    commitmentEndDate: z.string().datetime({ offset: true }).optional(),
    /** New commerce: overrides the end of the cancellation window (default 7 days into the term). */
    cancellationAllowedUntilDate: z.string().datetime({ offset: true }).nullable().optional(),
  })
  .strict();

const relationshipSchema = z
  .object({
    partner: z.string(),
    delegatedAdmin: z.boolean().default(true),
    relationship: z.enum(['reseller', 'advisor', 'none']).default('reseller'),
  })
  .strict();

const customerSchema = z
  .object({
    key: z.string(),
    companyName: z.string(),
    country: z.string().length(2),
    domain: z.string().optional(),
    tenantId: z.string().uuid().optional(),
    labels: z.array(z.string()).default([]),
    /** `true`: a partner attested the MCA; `"direct"`: the customer signed it itself; `false`: none. */
    mca: z.union([z.boolean(), z.literal('direct')]).default(true),
    /** Customer already moved to the Azure plan (R-AZP-6: no more MS-AZR-0145P purchases). */
    azurePlan: z.boolean().default(false),
    usageBudget: z.string().optional(),
    relationships: z.array(relationshipSchema).default([]),
    subscriptions: z.array(subscriptionSchema).default([]),
    /** GDAP: the customer's decision on invitations and its existing relationships. */
    gdap: customerGdapSchema.optional(),
    autopilot: z
      .object({
        acceptInvitation: behaviour.optional(),
        signMca: behaviour.optional(),
        signTransferForm: behaviour.optional(),
        acceptsFrom: z
          .union([
            z.literal('related'),
            z.literal('invited'),
            z.literal('any'),
            z.array(z.string()),
          ])
          .optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

/** Actor delays: at most ten years (the clock ends in 9999; longer means "never", say so). */
const hours = z.number().nonnegative().max(87_600).optional();
const delay = z
  .string()
  .max(64)
  .refine((d) => {
    const parsed = parseDuration(d);
    return parsed !== undefined && addDuration(new Date(0), parsed).getTime() <= 87_600 * 3_600_000;
  }, 'an ISO-8601 duration of at most ten years (e.g. PT2H)')
  .optional();
/** Local dates (`YYYY-MM-DD`) per ISO country code, `*` for every country. */
const localDatesByCountry = z.record(
  z.string().regex(/^([A-Z]{2}|\*)$/, 'an ISO 3166 alpha-2 code in capitals, or *'),
  z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a local date YYYY-MM-DD')),
);

const autopilotSchema = z
  .object({
    enabled: z.boolean().optional(),
    customers: z
      .object({
        acceptInvitationHours: hours,
        signMcaHours: hours,
        signTransferFormHours: hours,
      })
      .strict()
      .optional(),
    support: z
      .object({
        consolidationBusinessHours: hours,
        transferBusinessHours: hours,
        otherBusinessHours: hours,
        publicHolidays: z.boolean().optional(),
        holidays: localDatesByCountry.optional(),
        workingDays: localDatesByCountry.optional(),
        consolidationRefusals: z
          .record(
            z.string().min(1),
            z.union([
              z.string().min(1).max(2_000),
              z
                .object({ text: z.string().min(1).max(2_000), close: z.boolean().optional() })
                .strict(),
            ]),
          )
          .optional(),
      })
      .strict()
      .optional(),
    orderProvisioning: delay,
    orderListDelay: delay,
    productUpgrade: delay,
    commerce: z
      .object({
        transferExpiry: z.string().optional(),
        transferCompletion: z.string().optional(),
        sourceAcceptHours: z.number().nonnegative().optional(),
        migrationDuration: z.string().optional(),
        transferSubscriptionLimit: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/** A new-commerce transfer already pending when the scenario starts (created by `target`). */
const transferSchema = z
  .object({
    id: z.string().uuid().optional(),
    customer: z.string(),
    source: z.string(),
    target: z.string(),
    transferType: z.union([z.literal(3), z.literal(5)]).default(5),
    targetProductTypes: z.array(z.string()).nullable().default(null),
    createdDaysAgo: z.number().nonnegative().default(1),
    /** Overrides the source partner's autopilot for this transfer. */
    sourceAccepts: transferBehaviour.optional(),
  })
  .strict();

export type ParsedTransfer = z.output<typeof transferSchema>;

export const autopilotPatchSchema = autopilotSchema;
export type AutopilotPatch = z.infer<typeof autopilotSchema>;

export const scenarioSchema = z
  .object({
    $schema: z.string().optional(),
    name: z.string().default('custom'),
    description: z.string().optional(),
    /** Start from a preset and add this file's organizations and customers on top. */
    extends: z.enum(['empty', 'demo', 'large', 'demo-today', 'large-today']).optional(),
    /** Size of the `large` preset when extending it. */
    size: z
      .object({
        customers: z.number().int().positive(),
        subscriptionsPerCustomer: z.number().int().positive().default(10),
      })
      .strict()
      .optional(),
    seed: z.number().int().optional(),
    clock: z.string().datetime({ offset: true }).optional(),
    organizations: z
      .array(
        z
          .object({
            key: z.string(),
            name: z.string(),
            id: z.string().optional(),
            tenants: z.array(tenantSchema).default([]),
          })
          .strict(),
      )
      .default([]),
    customers: z.array(customerSchema).default([]),
    /** Pending new-commerce transfers (customers and partners by key). */
    transfers: z.array(transferSchema).default([]),
    autopilot: autopilotSchema.optional(),
    /** GDAP settings (`requireGdap`, delays). */
    gdap: gdapSettingsSchema.optional(),
  })
  .strict();

export type ScenarioDefinition = z.input<typeof scenarioSchema>;
export type ParsedScenario = z.output<typeof scenarioSchema>;
export type ParsedCustomer = z.output<typeof customerSchema>;
