/** One line of the request journal (`GET /_emulator/requests`). */
export interface JournalEntry {
  seq: number;
  /** Virtual time the request arrived. */
  time: string;
  method: string;
  path: string;
  tenantId: string | null;
  customerTenantId: string | null;
  status: number;
  requestId: string | null;
  correlationId: string;
  /** The fault rule applied, if any. */
  faultId: string | null;
  throttled: boolean;
  /** Answered from the MS-RequestId idempotency cache. */
  replayed: boolean;
  /** The client came back before its Retry-After had passed. */
  earlyRetry: boolean;
  durationMs: number;
}

export interface JournalFilter {
  method?: string;
  pathPrefix?: string;
  tenantId?: string;
  status?: number;
  limit?: number;
}

/** A bounded, in-order request journal (WireMock's request journal idea). */
export class Journal {
  private entries: JournalEntry[] = [];
  private seq = 0;

  constructor(private readonly limit: number) {}

  nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }

  add(entry: JournalEntry): void {
    this.entries.push(entry);
    if (this.entries.length > this.limit) {
      this.entries.splice(0, this.entries.length - this.limit);
    }
  }

  list(filter: JournalFilter = {}): JournalEntry[] {
    let out = this.entries.filter(
      (e) =>
        (!filter.method || e.method === filter.method.toUpperCase()) &&
        (!filter.pathPrefix || e.path.toLowerCase().startsWith(filter.pathPrefix.toLowerCase())) &&
        (!filter.tenantId || e.tenantId === filter.tenantId) &&
        (filter.status === undefined || e.status === filter.status),
    );
    if (filter.limit !== undefined) {
      out = out.slice(-filter.limit);
    }
    return out.map((e) => ({ ...e }));
  }

  clear(): void {
    this.entries = [];
  }

  get size(): number {
    return this.entries.length;
  }
}
