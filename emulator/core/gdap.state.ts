import type {
  CustomerUserRecord,
  GdapAccessAssignmentRecord,
  GdapDecision,
  GdapOperationRecord,
  GdapRelationshipRecord,
  GdapRequestRecord,
  GdapSettings,
  GdapSnapshot,
  InvoiceRecord,
  TenantDataSnapshot,
} from './gdap.model.js';
import { deriveRng, Rng } from './rng.js';

export const DEFAULT_GDAP_SETTINGS: GdapSettings = {
  requireGdap: false,
  approvalHours: 24,
  requestExpiry: 'P90D',
  expiringNotice: 'P30D',
  assignmentDelay: 'PT5M',
  terminationDelay: 'PT10M',
};

/**
 * GDAP state of one emulator instance. It has its own seeded generator so adding GDAP records to
 * a scenario does not shift the ids of everything else the seed produces.
 */
export class GdapState {
  rng: Rng;
  settings: GdapSettings = { ...DEFAULT_GDAP_SETTINGS };
  readonly relationships = new Map<string, GdapRelationshipRecord>();
  readonly requests = new Map<string, GdapRequestRecord>();
  readonly accessAssignments = new Map<string, GdapAccessAssignmentRecord>();
  readonly operations = new Map<string, GdapOperationRecord>();
  readonly decisions = new Map<string, GdapDecision>();

  constructor(seed = 1) {
    this.rng = deriveRng(seed, 'gdap');
  }

  relationshipsOf(partnerTenantId: string): GdapRelationshipRecord[] {
    return [...this.relationships.values()].filter(
      (r) =>
        r.partnerTenantId === partnerTenantId || r.indirectProviderTenantId === partnerTenantId,
    );
  }

  snapshot(): GdapSnapshot {
    return JSON.parse(
      JSON.stringify({
        rngState: this.rng.state,
        settings: this.settings,
        relationships: [...this.relationships.values()],
        requests: [...this.requests.values()],
        accessAssignments: [...this.accessAssignments.values()],
        operations: [...this.operations.values()],
        decisions: Object.fromEntries(this.decisions),
      } satisfies GdapSnapshot),
    ) as GdapSnapshot;
  }

  static fromSnapshot(snap: GdapSnapshot | undefined, seed: number): GdapState {
    const s = new GdapState(seed);
    if (!snap) {
      return s;
    }
    s.rng = new Rng(snap.rngState);
    s.settings = { ...DEFAULT_GDAP_SETTINGS, ...snap.settings };
    snap.relationships.forEach((r) => s.relationships.set(r.id, r));
    snap.requests.forEach((r) => s.requests.set(r.id, r));
    snap.accessAssignments.forEach((a) => s.accessAssignments.set(a.id, a));
    snap.operations.forEach((o) => s.operations.set(o.id, o));
    Object.entries(snap.decisions).forEach(([k, v]) => s.decisions.set(k, v));
    return s;
  }
}

/** Customer users and invoices (the routes outside clients call, issue 14 item 4). */
export class TenantDataState {
  rng: Rng;
  readonly usersByCustomer = new Map<string, CustomerUserRecord[]>();
  readonly seededCustomers = new Set<string>();
  readonly invoices = new Map<string, InvoiceRecord>();
  readonly invoicedThrough = new Map<string, string>();

  constructor(seed = 1) {
    this.rng = deriveRng(seed, 'tenant-data');
  }

  addUser(u: CustomerUserRecord): void {
    const list = this.usersByCustomer.get(u.customerTenantId);
    if (list) {
      list.push(u);
    } else {
      this.usersByCustomer.set(u.customerTenantId, [u]);
    }
  }

  snapshot(): TenantDataSnapshot {
    return JSON.parse(
      JSON.stringify({
        rngState: this.rng.state,
        users: [...this.usersByCustomer.values()].flat(),
        seededCustomers: [...this.seededCustomers],
        invoices: [...this.invoices.values()],
        invoicedThrough: Object.fromEntries(this.invoicedThrough),
      } satisfies TenantDataSnapshot),
    ) as TenantDataSnapshot;
  }

  static fromSnapshot(snap: TenantDataSnapshot | undefined, seed: number): TenantDataState {
    const s = new TenantDataState(seed);
    if (!snap) {
      return s;
    }
    s.rng = new Rng(snap.rngState);
    snap.users.forEach((u) => s.addUser(u));
    snap.seededCustomers.forEach((c) => s.seededCustomers.add(c));
    snap.invoices.forEach((i) => s.invoices.set(i.id, i));
    Object.entries(snap.invoicedThrough).forEach(([k, v]) => s.invoicedThrough.set(k, v));
    return s;
  }
}
