import { z } from 'zod';
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
    billingCycle: z.enum(['monthly', 'annual']).optional(),
    createdDaysAgo: z.number().int().nonnegative().optional(),
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
          .union([z.literal('related'), z.literal('any'), z.array(z.string())])
          .optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

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
        acceptInvitationHours: z.number().nonnegative().optional(),
        signMcaHours: z.number().nonnegative().optional(),
        signTransferFormHours: z.number().nonnegative().optional(),
      })
      .strict()
      .optional(),
    support: z
      .object({
        consolidationBusinessHours: z.number().nonnegative().optional(),
        transferBusinessHours: z.number().nonnegative().optional(),
        otherBusinessHours: z.number().nonnegative().optional(),
        publicHolidays: z.boolean().optional(),
        holidays: localDatesByCountry.optional(),
        workingDays: localDatesByCountry.optional(),
      })
      .strict()
      .optional(),
    orderProvisioning: z.string().optional(),
    orderListDelay: z.string().optional(),
    productUpgrade: z.string().optional(),
  })
  .strict();

export const autopilotPatchSchema = autopilotSchema;
export type AutopilotPatch = z.infer<typeof autopilotSchema>;

export const scenarioSchema = z
  .object({
    $schema: z.string().optional(),
    name: z.string().default('custom'),
    description: z.string().optional(),
    /** Start from a preset and add this file's organizations and customers on top. */
    extends: z.enum(['empty', 'demo', 'large']).optional(),
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
    autopilot: autopilotSchema.optional(),
    /** GDAP settings (`requireGdap`, delays). */
    gdap: gdapSettingsSchema.optional(),
  })
  .strict();

export type ScenarioDefinition = z.input<typeof scenarioSchema>;
export type ParsedScenario = z.output<typeof scenarioSchema>;
export type ParsedCustomer = z.output<typeof customerSchema>;
