import type { EmulatorRuntime } from '../core/runtime.js';
import { runSchedule } from '../domain/migration-schedules.service.js';
import { completeMigration } from '../domain/migrations.service.js';
import { acceptAsSource } from '../domain/transfer-source.js';
import { completeTransfer, expireTransfer } from '../domain/transfers.service.js';

/**
 * Clock-driven commerce actions: transfer expiry and completion, the source partner played by
 * the autopilot (accepts every eligible subscription), migrations and their schedules.
 */
export function registerCommerceActors(rt: EmulatorRuntime): void {
  rt.executors.set('transfer.expire', (r, a) => expireTransfer(r, a.target.transferId ?? ''));
  rt.executors.set('transfer.complete', (r, a) => completeTransfer(r, a.target.transferId ?? ''));
  rt.executors.set('transfer.source_accept', (r, a) => {
    // Expiry and completion are Partner Center's own; only the other partner is an autopilot actor.
    if (!r.store.autopilot.enabled) {
      return;
    }
    try {
      acceptAsSource(r, a.target.transferId ?? '');
    } catch {
      // The source's subscriptions changed since the request (e.g. none eligible): it stays pending.
    }
  });
  rt.executors.set('migration.complete', (r, a) =>
    completeMigration(r, a.target.migrationId ?? ''),
  );
  rt.executors.set('migration_schedule.run', (r, a) => runSchedule(r, a.target.scheduleId ?? ''));
}
