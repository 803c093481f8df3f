/**
 * R-TRF-7's 8-business-hour deadline uses the business-hours module the emulator's support actors
 * use (holidays from `date-holidays`, one country → time zone table).
 */
export {
  addBusinessHours,
  businessCalendar,
  businessMsBetween,
  publicHolidays,
  timeZoneOf,
  type BusinessCalendar,
  type BusinessCalendarOptions,
  type HolidayConfig,
} from 'partner-center-emulator';
