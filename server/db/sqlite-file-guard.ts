import { statSync } from 'node:fs';
import { isStorageFault, StorageFaultError, storageFaultMessage } from './storage-fault.js';

/** How long a failed write keeps `/readyz` not ready unless a later write succeeds. */
export const FAULT_MEMORY_MS = 30_000;

/**
 * Watches one SQLite file for the faults SQLite itself does not report. An open connection keeps
 * writing to its file after the path is deleted or replaced (a restore, a clean-up script, a
 * volume swap): every write "succeeds" into an unlinked inode and is lost at the next restart. So
 * every write first checks that the path still names the file opened (same device and inode). It
 * also remembers the last failed write (disk full, I/O error), which `/readyz` reports until a
 * later write succeeds: a write probe alone may still fit where the application's writes do not.
 */
export class SqliteFileGuard {
  private readonly identity: { dev: number; ino: number } | undefined;
  private fault: { atMs: number; message: string } | undefined;

  /** `path` undefined: an in-memory database (nothing to watch). */
  constructor(
    private readonly path: string | undefined,
    private readonly now: () => number = Date.now,
  ) {
    if (path) {
      const stat = statSync(path);
      this.identity = { dev: stat.dev, ino: stat.ino };
    }
  }

  /** Throws a {@link StorageFaultError} once the path no longer names the file opened. */
  assertSameFile(): void {
    if (!this.path || !this.identity) {
      return;
    }
    let stat: { dev: number; ino: number };
    try {
      stat = statSync(this.path);
    } catch (error) {
      const gone = (error as { code?: unknown }).code === 'ENOENT';
      throw this.faulted(
        new StorageFaultError(
          gone
            ? 'The SQLite file at DATABASE_URL was deleted while the server had it open; writes would be lost. Restore it and restart the server.'
            : `The SQLite file at DATABASE_URL cannot be checked: ${(error as Error).message}`,
          { cause: error },
        ),
      );
    }
    if (stat.dev !== this.identity.dev || stat.ino !== this.identity.ino) {
      throw this.faulted(
        new StorageFaultError(
          'The SQLite file at DATABASE_URL was replaced while the server had the old one open; writes would go to the old file. Restart the server.',
        ),
      );
    }
  }

  /**
   * Runs a statement (`write`: one that changes data), recording a storage fault it raises. In a
   * transaction the file was checked at its start (`sqliteTransaction`): one stat per transaction.
   */
  run<T>(write: boolean, inTransaction: boolean, statement: () => T): T {
    if (write && !inTransaction) {
      this.assertSameFile();
    }
    try {
      const result = statement();
      if (write && !inTransaction) {
        this.fault = undefined;
      }
      return result;
    } catch (error) {
      this.noteFault(error);
      throw error;
    }
  }

  noteFault(error: unknown): void {
    if (isStorageFault(error)) {
      this.fault = { atMs: this.now(), message: storageFaultMessage(error) };
    }
  }

  /** A write committed: the storage takes writes again. */
  noteWrite(): void {
    this.fault = undefined;
  }

  /** The last write's storage fault if it is recent and no write succeeded since. */
  recentFault(): { secondsAgo: number; message: string } | undefined {
    if (!this.fault || this.now() - this.fault.atMs > FAULT_MEMORY_MS) {
      return undefined;
    }
    return {
      secondsAgo: Math.round((this.now() - this.fault.atMs) / 1000),
      message: this.fault.message,
    };
  }

  private faulted(error: StorageFaultError): StorageFaultError {
    this.noteFault(error);
    return error;
  }
}
