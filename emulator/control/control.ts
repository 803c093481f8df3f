import type {
  AutopilotConfig,
  ScheduledActionRecord,
  StateSnapshot,
  TransferFormRecord,
} from '../core/model.js';
import type { EmulatorRuntime } from '../core/runtime.js';
import type { FaultRegistry, FaultRule, FaultRuleState } from '../faults/fault-registry.js';
import type { Journal, JournalEntry, JournalFilter } from '../http/journal.js';
import type {
  RetryAfterViolation,
  Throttler,
  ThrottlingOptions,
} from '../throttling/token-buckets.js';
import type { AutopilotPatch, ScenarioDefinition } from '../scenarios/scenario.schema.js';
import { mergeAutopilot } from '../scenarios/presets.js';
import { acceptRelationship, signMcaDirectly } from '../autopilot/customer-actors.js';
import { processTicket, signTransferForm } from '../autopilot/support-actors.js';

/** A partner tenant as `GET /_emulator/partners` lists it (seams.md). */
export interface PartnerInfo {
  organizationId: string;
  organizationName: string;
  tenantId: string;
  name: string;
  mpnId: string;
  country: string;
  region: string;
  kind: 'direct' | 'indirect_provider' | 'indirect_reseller';
  labels: string[];
  /** Object id of the Admin Agents group (the ARM foreign principal of this partner). */
  adminAgentsGroupId: string;
  /** For indirect resellers: their providers' tenant ids. */
  providerTenantIds: string[];
}

/** A customer tenant as `GET /_emulator/customers` lists it. */
export interface CustomerInfo {
  tenantId: string;
  companyName: string;
  domain: string;
  country: string;
  region: string;
  labels: string[];
  relationships: {
    partnerTenantId: string;
    relationship: string;
    delegatedAdmin: boolean;
    indirectProviderTenantId: string | null;
  }[];
  mcaSigned: boolean;
  azurePlanTransitioned: boolean;
  autopilot: unknown;
}

/** A catalog entry as `GET /_emulator/offers` lists it (every offer, discontinued included). */
export interface OfferInfo {
  id: string;
  alias: string;
  name: string;
  family: string;
  kind: string;
  discontinued: boolean;
  successorOfferId: string | null;
  requiresMca: boolean;
  minimumQuantity: number;
  maximumQuantity: number;
  countries: string[] | null;
}

/** How much the emulator holds (README "Memory"): the state and the bounded history. */
export interface StoreCounts {
  customers: number;
  subscriptions: number;
  orders: number;
  auditRecords: number;
  idempotencyRecords: number;
  journal: number;
}

/** The typed control API: the same operations as `/_emulator/*`. */
export interface EmulatorControl {
  reset(options?: { scenario?: string | ScenarioDefinition; seed?: number }): void;
  partners(): PartnerInfo[];
  customers(): CustomerInfo[];
  offers(): OfferInfo[];
  state(): StateSnapshot;
  loadState(snapshot: StateSnapshot): void;
  clock(): { now: string };
  advanceClock(duration: string | number): Promise<{ now: string }>;
  setClock(iso: string): Promise<{ now: string }>;
  autopilot(): AutopilotConfig;
  setAutopilot(patch: AutopilotPatch): AutopilotConfig;
  pendingActions(): ScheduledActionRecord[];
  /** Record counts, without the copy `state()` makes (`GET /_emulator/counts`). */
  counts(): StoreCounts;
  addFault(rule: FaultRule): FaultRuleState;
  faults(): FaultRuleState[];
  clearFaults(id?: string): void;
  requests(filter?: JournalFilter): JournalEntry[];
  clearRequests(): void;
  throttling(): { config: ThrottlingOptions; violations: RetryAfterViolation[] };
  setThrottling(options: ThrottlingOptions): void;
  retryAfterViolations(): RetryAfterViolation[];
  /** Customer actor: accept a partner's reseller invitation (and grant delegated admin). */
  acceptRelationship(
    customerTenantId: string,
    partnerTenantId: string,
    options?: { delegatedAdmin?: boolean },
  ): { accepted: boolean };
  /** Customer actor: sign the MCA directly. */
  signMca(customerTenantId: string): { signed: boolean };
  /** Customer + new partner actor: sign a CSP Subscription Transfer form (by form or ticket id). */
  signTransferForm(id: string): TransferFormRecord;
  transferForms(): TransferFormRecord[];
  /** Microsoft support actor: process a service request now (migrate, transfer, or answer). */
  resolveServiceRequest(serviceRequestId: string): { status: string };
  tokenFor(partnerTenantId: string): string;
  onStateChange(listener: () => void): () => void;
}

export interface ControlDeps {
  rt: EmulatorRuntime;
  faults: FaultRegistry;
  journal: Journal;
  throttler: Throttler;
  reset(options?: { scenario?: string | ScenarioDefinition; seed?: number }): void;
  loadState(snapshot: StateSnapshot): void;
  tokenFor(partnerTenantId: string): string;
}

export function createControl(deps: ControlDeps): EmulatorControl {
  const { rt } = deps;
  const nowObj = (): { now: string } => ({ now: rt.nowIso() });
  return {
    reset: (options) => deps.reset(options),
    partners: () =>
      [...rt.store.partners.values()].map((p) => ({
        organizationId: p.organizationId,
        organizationName: rt.store.organizations.get(p.organizationId)?.name ?? '',
        tenantId: p.tenantId,
        name: p.name,
        mpnId: p.mpnId,
        country: p.country,
        region: p.region,
        kind: p.kind,
        labels: [...p.labels],
        adminAgentsGroupId: p.adminAgentsGroupId,
        providerTenantIds: [...p.providerTenantIds],
      })),
    customers: () =>
      [...rt.store.customers.values()].map((c) => ({
        tenantId: c.tenantId,
        companyName: c.companyName,
        domain: c.domain,
        country: c.country,
        region: c.region,
        labels: [...c.labels],
        relationships: [...(rt.store.partnersByCustomer.get(c.tenantId) ?? [])].flatMap((pid) => {
          const r = rt.store.relationship(pid, c.tenantId);
          return r
            ? [
                {
                  partnerTenantId: pid,
                  relationship: r.indirectProviderTenantId
                    ? 'indirect_reseller'
                    : r.relationshipToPartner,
                  delegatedAdmin: r.allowDelegatedAccess,
                  indirectProviderTenantId: r.indirectProviderTenantId,
                },
              ]
            : [];
        }),
        mcaSigned:
          c.directSignedMca ||
          (rt.store.agreementsByCustomer.get(c.tenantId) ?? []).some(
            (a) => a.type === 'MicrosoftCustomerAgreement',
          ),
        azurePlanTransitioned: c.azurePlanTransitioned,
        autopilot: structuredClone(c.autopilot),
      })),
    offers: () =>
      rt.catalog.offers.map((o) => ({
        id: o.id,
        alias: o.alias,
        name: o.name,
        family: o.family,
        kind: o.kind,
        discontinued: o.discontinued,
        successorOfferId: o.successorOfferId,
        requiresMca: o.requiresMca,
        minimumQuantity: o.minimumQuantity,
        maximumQuantity: o.maximumQuantity,
        countries: o.countries,
      })),
    state: () => rt.store.snapshot(rt.now()),
    loadState: (snapshot) => deps.loadState(snapshot),
    clock: nowObj,
    advanceClock: async (duration) => {
      await rt.clock.advance(duration);
      return nowObj();
    },
    setClock: async (iso) => {
      await rt.clock.set(iso);
      return nowObj();
    },
    autopilot: () => structuredClone(rt.store.autopilot),
    setAutopilot: (patch) => {
      rt.store.autopilot = mergeAutopilot(rt.store.autopilot, patch);
      rt.notifyChange();
      return structuredClone(rt.store.autopilot);
    },
    pendingActions: () =>
      [...rt.store.actions].sort((a, b) => (a.dueAt < b.dueAt ? -1 : 1)).map((a) => ({ ...a })),
    counts: () => ({
      customers: rt.store.customers.size,
      subscriptions: rt.store.subscriptions.size,
      orders: rt.store.orders.size,
      auditRecords: rt.store.auditRecords.length,
      idempotencyRecords: rt.store.idempotency.size,
      journal: deps.journal.size,
    }),
    addFault: (rule) => deps.faults.add(rule),
    faults: () => deps.faults.list(),
    clearFaults: (id) => deps.faults.remove(id),
    requests: (filter) => deps.journal.list(filter),
    clearRequests: () => deps.journal.clear(),
    throttling: () => ({
      config: deps.throttler.config(),
      violations: [...deps.throttler.violations],
    }),
    setThrottling: (options) => deps.throttler.configure(options),
    retryAfterViolations: () => [...deps.throttler.violations],
    acceptRelationship: (customerTenantId, partnerTenantId, options) => {
      const accepted = acceptRelationship(
        rt,
        customerTenantId.toLowerCase(),
        partnerTenantId.toLowerCase(),
        options?.delegatedAdmin ?? true,
      );
      rt.notifyChange();
      return { accepted };
    },
    signMca: (customerTenantId) => {
      const signed = signMcaDirectly(rt, customerTenantId.toLowerCase());
      rt.notifyChange();
      return { signed };
    },
    signTransferForm: (id) => {
      const form = signTransferForm(rt, id);
      rt.notifyChange();
      return form;
    },
    transferForms: () => [...rt.store.transferForms.values()].map((f) => structuredClone(f)),
    resolveServiceRequest: (id) => {
      const status = processTicket(rt, id);
      rt.notifyChange();
      return { status };
    },
    tokenFor: (tenantId) => deps.tokenFor(tenantId),
    onStateChange: (listener) => rt.onChange(listener),
  };
}
