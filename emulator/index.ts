/**
 * Public entry of the Partner Center emulator: `import { createEmulator } from 'partner-center-emulator'`.
 * See emulator/README.md for the scenario format, the control API and what is emulated.
 */
import type { Emulator } from './create-emulator.js';
import {
  serveHandlers,
  type ServeOptions,
  type StandaloneServer,
} from './http/standalone-server.js';

export { createEmulator, DEFAULT_CLOCK } from './create-emulator.js';
export { DEFAULT_RETENTION, type RetentionOptions } from './core/retention.js';
export type { Emulator, EmulatorOptions } from './create-emulator.js';
export type { EmulatorControl, PartnerInfo, CustomerInfo, OfferInfo } from './control/control.js';
export type { CommerceControl, TransferInfo } from './control/commerce-control.js';
export type { EmulatorClock } from './core/clock.js';
export type { GdapControl, GdapRelationshipInfo } from './control/gdap-control.js';
export type { GdapSettings, GdapStatus } from './core/gdap.model.js';
export type {
  StateSnapshot,
  AutopilotConfig,
  ScheduledActionRecord,
  TransferFormRecord,
} from './core/model.js';
export type { FaultRule, FaultRuleState } from './faults/fault-registry.js';
export type { JournalEntry, JournalFilter } from './http/journal.js';
export type {
  ThrottlingOptions,
  ThrottleLimit,
  RetryAfterViolation,
} from './throttling/token-buckets.js';
export type { ScenarioDefinition, AutopilotPatch } from './scenarios/scenario.schema.js';
export { scenarioSchema } from './scenarios/scenario.schema.js';
export { mintToken, DEFAULT_TOKEN_SECRET } from './http/auth.js';
export { AZURE_PLAN_OFFER_ID, LEGACY_AZURE_OFFER_ID, MCA_TEMPLATE_ID } from './core/catalog.js';

/**
 * Serves an emulator over HTTP (Partner Center under `/v1`, ARM under `/arm`, control under
 * `/_emulator`). Port 0 picks a free port; the host defaults to 127.0.0.1; bodies over
 * `maxBodyBytes` (default 16 MiB) get a 413.
 */
export function startEmulatorServer(
  emulator: Emulator,
  options: ServeOptions = {},
): Promise<StandaloneServer> {
  return serveHandlers(emulator.handlers, options);
}
export type { StandaloneServer, ServeOptions };

export {
  addBusinessHours,
  businessCalendar,
  businessMsBetween,
  isBusinessTime,
  publicHolidays,
  timeZoneOf,
} from './core/business-hours.js';
export type {
  BusinessCalendar,
  BusinessCalendarOptions,
  HolidayConfig,
} from './core/business-hours.js';
export { addDuration, durationMs, parseDuration } from './core/duration.js';
export type { Duration } from './core/duration.js';
