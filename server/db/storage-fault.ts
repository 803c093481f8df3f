/**
 * Storage faults: the database cannot take or keep a write (disk full, I/O error, read-only or
 * vanished file, lost connection). Not a bug of the request, and not the caller's to fix: the API
 * answers `SERVICE_UNAVAILABLE` (HTTP 503) and `/readyz` reports not ready (issue 17).
 */
export class StorageFaultError extends Error {
  readonly code = 'STORAGE_FAULT';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageFaultError';
  }
}

// better-sqlite3 primary result codes (extended codes start with them: SQLITE_IOERR_WRITE…).
// Not constraint violations or SQL errors: those are bugs, and stay internal errors.
const SQLITE_FAULTS = [
  'SQLITE_FULL',
  'SQLITE_IOERR',
  'SQLITE_READONLY',
  'SQLITE_CANTOPEN',
  'SQLITE_CORRUPT',
  'SQLITE_NOTADB',
  'SQLITE_NOMEM',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_PROTOCOL',
  'SQLITE_PERM',
];

// PostgreSQL SQLSTATE classes: 08 connection exception, 53 insufficient resources (53100
// disk_full), 57 operator intervention (admin shutdown, cannot connect now), 58 system error (I/O),
// XX internal error (data corrupted); 25006 read-only transaction (a standby or a read-only
// database).
const PG_FAULT_CLASSES = ['08', '53', '57', '58', 'XX'];
const PG_FAULT_CODES = ['25006'];

// node-postgres and Node's socket errors when the server is gone.
const CONNECTION_CODES = ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND'];
const CONNECTION_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /The database connection is not open/i,
  /Client has encountered a connection error/i,
];

/** True when this error, or one it wraps (`cause`, `originalError`), is a storage fault. */
export function isStorageFault(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    if (current instanceof StorageFaultError) {
      return true;
    }
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string') {
      if (SQLITE_FAULTS.some((c) => code === c || code.startsWith(`${c}_`))) {
        return true;
      }
      if (/^[0-9A-Z]{5}$/.test(code)) {
        if (PG_FAULT_CLASSES.includes(code.slice(0, 2)) || PG_FAULT_CODES.includes(code)) {
          return true;
        }
      }
      if (CONNECTION_CODES.includes(code)) {
        return true;
      }
    }
    if (typeof message === 'string' && CONNECTION_MESSAGES.some((m) => m.test(message))) {
      return true;
    }
    const next = current as { cause?: unknown; originalError?: unknown };
    current = next.originalError ?? next.cause;
  }
  return false;
}

/** The innermost message of a storage fault (for logs and `/readyz`). */
export function storageFaultMessage(error: unknown): string {
  let current: unknown = error;
  let message = error instanceof Error ? error.message : String(error);
  const seen = new Set<unknown>();
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const m = (current as { message?: unknown }).message;
    if (typeof m === 'string' && !m.startsWith('Failed query:')) {
      message = m;
    }
    const next = current as { cause?: unknown; originalError?: unknown };
    current = next.originalError ?? next.cause;
  }
  return message;
}
