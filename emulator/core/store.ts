import { GdapState, TenantDataState } from './gdap.state.js';
import { CommerceStore, DEFAULT_COMMERCE_TIMINGS } from './commerce.model.js';
import { Rng } from './rng.js';
import type {
  AgreementRecord,
  AuditRecordRecord,
  AutopilotConfig,
  AzureSubscriptionRecord,
  CustomerRecord,
  EntitlementLinkRecord,
  IdempotencyRecord,
  InvitationRecord,
  OrderRecord,
  OrganizationRecord,
  PartnerTenantRecord,
  ProductUpgradeRecord,
  RelationshipRecord,
  RoleAssignmentRecord,
  ScheduledActionRecord,
  ServiceRequestRecord,
  StateSnapshot,
  SubscriptionRecord,
  TransferFormRecord,
} from './model.js';

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) {
    list.push(value);
  } else {
    map.set(key, [value]);
  }
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (set) {
    set.add(value);
  } else {
    map.set(key, new Set([value]));
  }
}

export const pairKey = (partnerTenantId: string, customerTenantId: string): string =>
  `${partnerTenantId}|${customerTenantId}`;

export const DEFAULT_AUTOPILOT: AutopilotConfig = {
  enabled: true,
  customers: { acceptInvitationHours: 4, signMcaHours: 24, signTransferFormHours: 24 },
  support: { consolidationBusinessHours: 8, transferBusinessHours: 8, otherBusinessHours: 8 },
  orderProvisioning: 'PT0S',
  orderListDelay: 'PT0S',
  productUpgrade: 'PT30M',
  commerce: DEFAULT_COMMERCE_TIMINGS,
};

/**
 * The in-memory store of one emulator instance: Maps plus the secondary indexes the handlers need
 * (so the `large` preset stays fast). Records are mutated in place; `add*` keeps indexes right.
 * Nothing here is module-level: every `createEmulator()` builds its own Store.
 */
export class Store {
  scenarioName = 'empty';
  seed = 1;
  rng = new Rng(1);
  autopilot: AutopilotConfig = structuredClone(DEFAULT_AUTOPILOT);

  readonly organizations = new Map<string, OrganizationRecord>();
  readonly partners = new Map<string, PartnerTenantRecord>();
  readonly partnersByMpn = new Map<string, PartnerTenantRecord>();
  readonly customers = new Map<string, CustomerRecord>();
  readonly relationships = new Map<string, RelationshipRecord>();
  readonly customersByPartner = new Map<string, Set<string>>();
  readonly partnersByCustomer = new Map<string, Set<string>>();
  readonly agreements: AgreementRecord[] = [];
  readonly agreementsByCustomer = new Map<string, AgreementRecord[]>();
  readonly orders = new Map<string, OrderRecord>();
  readonly ordersByPair = new Map<string, OrderRecord[]>();
  readonly subscriptions = new Map<string, SubscriptionRecord>();
  readonly subscriptionsByPair = new Map<string, SubscriptionRecord[]>();
  readonly subscriptionsByCustomer = new Map<string, SubscriptionRecord[]>();
  readonly azureSubscriptions = new Map<string, AzureSubscriptionRecord>();
  readonly entitlementLinks: EntitlementLinkRecord[] = [];
  readonly linksByAzure = new Map<string, EntitlementLinkRecord[]>();
  readonly linksBySubscription = new Map<string, EntitlementLinkRecord[]>();
  readonly roleAssignments = new Map<string, RoleAssignmentRecord>();
  readonly assignmentsByAzure = new Map<string, Set<string>>();
  readonly serviceRequests = new Map<string, ServiceRequestRecord>();
  readonly auditRecords: AuditRecordRecord[] = [];
  readonly auditByPartner = new Map<string, AuditRecordRecord[]>();
  /** Audit records ever written (ids stay unique when old ones are dropped). */
  auditSeq = 0;
  readonly productUpgrades = new Map<string, ProductUpgradeRecord>();
  readonly transferForms = new Map<string, TransferFormRecord>();
  readonly invitations = new Map<string, InvitationRecord>();
  actions: ScheduledActionRecord[] = [];
  readonly idempotency = new Map<string, IdempotencyRecord>();
  gdap = new GdapState();
  tenantData = new TenantDataState();
  /** Transfers and new-commerce migrations. */
  commerce = new CommerceStore();

  addOrganization(o: OrganizationRecord): void {
    this.organizations.set(o.id, o);
  }

  addPartner(p: PartnerTenantRecord): void {
    this.partners.set(p.tenantId, p);
    this.partnersByMpn.set(p.mpnId, p);
  }

  addCustomer(c: CustomerRecord): void {
    this.customers.set(c.tenantId, c);
  }

  addRelationship(r: RelationshipRecord): void {
    this.relationships.set(pairKey(r.partnerTenantId, r.customerTenantId), r);
    addTo(this.customersByPartner, r.partnerTenantId, r.customerTenantId);
    addTo(this.partnersByCustomer, r.customerTenantId, r.partnerTenantId);
  }

  relationship(partnerTenantId: string, customerTenantId: string): RelationshipRecord | undefined {
    return this.relationships.get(pairKey(partnerTenantId, customerTenantId));
  }

  addAgreement(a: AgreementRecord): void {
    this.agreements.push(a);
    pushTo(this.agreementsByCustomer, a.customerTenantId, a);
  }

  addOrder(o: OrderRecord): void {
    this.orders.set(o.id, o);
    pushTo(this.ordersByPair, pairKey(o.partnerTenantId, o.customerTenantId), o);
  }

  addSubscription(s: SubscriptionRecord): void {
    this.subscriptions.set(s.id, s);
    pushTo(this.subscriptionsByPair, pairKey(s.partnerTenantId, s.customerTenantId), s);
    pushTo(this.subscriptionsByCustomer, s.customerTenantId, s);
  }

  subscriptionsOf(partnerTenantId: string, customerTenantId: string): SubscriptionRecord[] {
    return this.subscriptionsByPair.get(pairKey(partnerTenantId, customerTenantId)) ?? [];
  }

  addAzureSubscription(a: AzureSubscriptionRecord): void {
    this.azureSubscriptions.set(a.id, a);
  }

  addEntitlementLink(l: EntitlementLinkRecord): void {
    this.entitlementLinks.push(l);
    pushTo(this.linksByAzure, l.azureSubscriptionId, l);
    pushTo(this.linksBySubscription, l.subscriptionId, l);
  }

  /** The subscription an Azure subscription is billed through now (its active link). */
  activeLink(azureSubscriptionId: string): EntitlementLinkRecord | undefined {
    return (this.linksByAzure.get(azureSubscriptionId) ?? []).find((l) => l.status === 'active');
  }

  addRoleAssignment(r: RoleAssignmentRecord): void {
    this.roleAssignments.set(r.name, r);
    addTo(this.assignmentsByAzure, r.azureSubscriptionId, r.name);
  }

  removeRoleAssignment(name: string): void {
    const r = this.roleAssignments.get(name);
    if (r) {
      this.roleAssignments.delete(name);
      this.assignmentsByAzure.get(r.azureSubscriptionId)?.delete(name);
    }
  }

  assignmentsFor(azureSubscriptionId: string): RoleAssignmentRecord[] {
    const names = this.assignmentsByAzure.get(azureSubscriptionId) ?? new Set<string>();
    return [...names].flatMap((n) => {
      const r = this.roleAssignments.get(n);
      return r ? [r] : [];
    });
  }

  addServiceRequest(s: ServiceRequestRecord): void {
    this.serviceRequests.set(s.id, s);
  }

  addAuditRecord(a: AuditRecordRecord): void {
    this.auditRecords.push(a);
    pushTo(this.auditByPartner, a.partnerId, a);
    this.auditSeq += 1;
  }

  /** Drops a partner's oldest `count` audit records (retention, core/retention.ts). */
  dropAuditRecords(partnerId: string, count: number): void {
    const rows = this.auditByPartner.get(partnerId);
    if (!rows || count <= 0) {
      return;
    }
    const dropped = new Set(rows.splice(0, count));
    const kept = this.auditRecords.filter((a) => !dropped.has(a));
    this.auditRecords.length = 0;
    this.auditRecords.push(...kept);
  }

  addProductUpgrade(u: ProductUpgradeRecord): void {
    this.productUpgrades.set(u.id, u);
  }

  addTransferForm(f: TransferFormRecord): void {
    this.transferForms.set(f.id, f);
  }

  /** A full JSON snapshot (deep copy) of the domain state. */
  snapshot(now: Date): StateSnapshot {
    const snap: StateSnapshot = {
      formatVersion: 1,
      scenarioName: this.scenarioName,
      seed: this.seed,
      now: now.toISOString(),
      rngState: this.rng.state,
      autopilot: this.autopilot,
      organizations: [...this.organizations.values()],
      partners: [...this.partners.values()],
      customers: [...this.customers.values()],
      relationships: [...this.relationships.values()],
      agreements: this.agreements,
      orders: [...this.orders.values()],
      subscriptions: [...this.subscriptions.values()],
      azureSubscriptions: [...this.azureSubscriptions.values()],
      entitlementLinks: this.entitlementLinks,
      roleAssignments: [...this.roleAssignments.values()],
      serviceRequests: [...this.serviceRequests.values()],
      auditRecords: this.auditRecords,
      productUpgrades: [...this.productUpgrades.values()],
      transferForms: [...this.transferForms.values()],
      invitations: [...this.invitations.values()],
      actions: this.actions,
      idempotency: [...this.idempotency.values()],
      gdap: this.gdap.snapshot(),
      tenantData: this.tenantData.snapshot(),
      ...this.commerce.toSnapshot(),
    };
    return JSON.parse(JSON.stringify(snap)) as StateSnapshot;
  }

  /** Rebuilds a store (indexes included) from a snapshot. */
  static fromSnapshot(input: StateSnapshot): Store {
    const snap = JSON.parse(JSON.stringify(input)) as StateSnapshot;
    const s = new Store();
    s.scenarioName = snap.scenarioName;
    s.seed = snap.seed;
    s.rng = new Rng(snap.rngState);
    s.autopilot = { ...structuredClone(DEFAULT_AUTOPILOT), ...snap.autopilot };
    s.autopilot.commerce = { ...DEFAULT_COMMERCE_TIMINGS, ...(snap.autopilot.commerce ?? {}) };
    snap.organizations.forEach((o) => s.addOrganization(o));
    snap.partners.forEach((p) => s.addPartner(p));
    snap.customers.forEach((c) => s.addCustomer(c));
    snap.relationships.forEach((r) => s.addRelationship(r));
    snap.agreements.forEach((a) => s.addAgreement(a));
    snap.orders.forEach((o) => s.addOrder(o));
    snap.subscriptions.forEach((x) => s.addSubscription(x));
    snap.azureSubscriptions.forEach((a) => s.addAzureSubscription(a));
    snap.entitlementLinks.forEach((l) => s.addEntitlementLink(l));
    snap.roleAssignments.forEach((r) => s.addRoleAssignment(r));
    snap.serviceRequests.forEach((r) => s.addServiceRequest(r));
    snap.auditRecords.forEach((a) => s.addAuditRecord(a));
    snap.productUpgrades.forEach((u) => s.addProductUpgrade(u));
    snap.transferForms.forEach((f) => s.addTransferForm(f));
    snap.invitations.forEach((i) => s.invitations.set(i.partnerTenantId, i));
    s.actions = snap.actions;
    snap.idempotency.forEach((i) => s.idempotency.set(i.key, i));
    s.gdap = GdapState.fromSnapshot(snap.gdap, snap.seed);
    s.tenantData = TenantDataState.fromSnapshot(snap.tenantData, snap.seed);
    s.commerce = CommerceStore.fromSnapshot(snap);
    return s;
  }
}
