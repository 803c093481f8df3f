import Holidays from 'date-holidays';
import { countryInfo, knownCountryCodes } from './regions.js';

/**
 * Business hours of Microsoft support, shared by the server (R-TRF-7's 8-business-hour deadline)
 * and the emulator's support actors: 09:00–17:00 local time, Monday to Friday, except the
 * country's public and bank holidays (partner-center-api.md §7, "support hours"). Holidays come from
 * `date-holidays`; extra closed days and extra working days override them per country. Local time
 * follows the country's time zone (one table: regions.ts) through Intl, so daylight saving changes
 * come from the platform's tz database.
 */

/**
 * Local dates (`YYYY-MM-DD`): either one list for every country, or lists per country code
 * (`{ FR: [...], GB: [...] }`, `*` for all countries).
 */
export type HolidayConfig = readonly string[] | Readonly<Record<string, readonly string[]>>;

export interface BusinessCalendarOptions {
  /** Extra days without support hours (added to the public holidays). */
  holidays?: HolidayConfig | undefined;
  /** Days that are business days even though `date-holidays` lists a holiday on them. */
  workingDays?: HolidayConfig | undefined;
  /** Count the country's public and bank holidays from `date-holidays` (default true). */
  publicHolidays?: boolean | undefined;
  /** Local opening and closing hour (default 9 and 17). */
  openHour?: number | undefined;
  closeHour?: number | undefined;
}

export interface BusinessCalendar {
  country: string;
  timeZone: string;
  openHour: number;
  closeHour: number;
  /** Whether a local date (`YYYY-MM-DD`) has no support hours (weekends aside). */
  isHoliday(localDate: string): boolean;
}

// Countries date-holidays knows; any other code has no public holidays.
let knownCountries: ReadonlySet<string> | undefined;
const zoneCache = new Map<string, string>();

/**
 * The time zone of a country's support hours: the emulator's country table (regions.ts), else the
 * first zone `date-holidays` lists for the country (its main one), else UTC.
 */
export function timeZoneOf(country: string): string {
  const code = country.toUpperCase();
  if (knownCountryCodes().includes(code)) {
    return countryInfo(code).timeZone;
  }
  let zone = zoneCache.get(code);
  if (zone === undefined) {
    zone = isHolidayCountry(code) ? (new Holidays(code).getTimezones()[0] ?? 'UTC') : 'UTC';
    zoneCache.set(code, zone);
  }
  return zone;
}

function isHolidayCountry(code: string): boolean {
  knownCountries ??= new Set(Object.keys(new Holidays().getCountries()));
  return knownCountries.has(code);
}

// date-holidays types that close support: `public` (statutory) and `bank` (e.g. Ireland's Good
// Friday); `optional`, `school` and `observance` days are working days.
const CLOSED_TYPES = ['public', 'bank'] as const;
const holidayCache = new Map<string, ReadonlySet<string>>();

/** The country's public and bank holidays of a year, as local dates. */
export function publicHolidays(country: string, year: number): ReadonlySet<string> {
  const key = `${country.toUpperCase()}:${year}`;
  let dates = holidayCache.get(key);
  if (!dates) {
    const code = country.toUpperCase();
    dates = new Set(
      isHolidayCountry(code)
        ? new Holidays(code, { types: [...CLOSED_TYPES] })
            .getHolidays(year)
            .filter((h) => (CLOSED_TYPES as readonly string[]).includes(h.type))
            .map((h) => h.date.slice(0, 10))
        : [],
    );
    holidayCache.set(key, dates);
  }
  return dates;
}

function datesFor(config: HolidayConfig | undefined, country: string): Set<string> {
  if (!config) {
    return new Set();
  }
  if (Array.isArray(config)) {
    return new Set(config as readonly string[]);
  }
  const byCountry = config as Readonly<Record<string, readonly string[]>>;
  return new Set([...(byCountry[country] ?? []), ...(byCountry['*'] ?? [])]);
}

export function businessCalendar(
  country: string,
  options: BusinessCalendarOptions = {},
): BusinessCalendar {
  const code = country.toUpperCase();
  const extra = datesFor(options.holidays, code);
  const working = datesFor(options.workingDays, code);
  const usePublic = options.publicHolidays ?? true;
  return {
    country: code,
    timeZone: timeZoneOf(code),
    openHour: options.openHour ?? 9,
    closeHour: options.closeHour ?? 17,
    isHoliday: (date) =>
      extra.has(date) ||
      (usePublic && !working.has(date) && publicHolidays(code, Number(date.slice(0, 4))).has(date)),
  };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function localParts(at: number, timeZone: string): LocalParts {
  const parts = formatter(timeZone).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? '0');
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
  };
}

/** Offset of the zone from UTC at an instant, in ms (local = utc + offset). */
function offsetMs(at: number, timeZone: string): number {
  const p = localParts(at, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(at / 1000) * 1000;
}

/** The UTC instant of a local wall-clock time (the later reading wins across a DST gap). */
function zonedToUtc(
  year: number,
  month: number,
  day: number,
  hour: number,
  timeZone: string,
): number {
  const wall = Date.UTC(year, month - 1, day, hour);
  let guess = wall - offsetMs(wall, timeZone);
  guess = wall - offsetMs(guess, timeZone);
  return guess;
}

const isoDate = (y: number, m: number, d: number) =>
  `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/** Whether a local date is a business day (Monday–Friday, not a holiday). */
function isBusinessDay(y: number, m: number, d: number, calendar: BusinessCalendar): boolean {
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return weekday >= 1 && weekday <= 5 && !calendar.isHoliday(isoDate(y, m, d));
}

const calendarOf = (c: BusinessCalendar | string) =>
  typeof c === 'string' ? businessCalendar(c) : c;

/**
 * The instant `hours` business hours after `from` (R-TRF-7's response deadline). Time outside the
 * window (nights, weekends, holidays) does not count; a start outside it counts from the next
 * opening. Exact to the millisecond. A country code stands for its default calendar.
 */
export function addBusinessHours(
  from: Date,
  hours: number,
  calendarOrCountry: BusinessCalendar | string,
): Date {
  const calendar = calendarOf(calendarOrCountry);
  let remaining = Math.round(hours * 3_600_000);
  let cursor = from.getTime();
  const start = localParts(cursor, calendar.timeZone);
  let day = Date.UTC(start.year, start.month - 1, start.day);
  // Ten years of days is far more than any SLA needs; the bound only guards against bad input.
  for (let i = 0; i < 3660; i++) {
    const d = new Date(day);
    const [y, m, dd] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
    if (isBusinessDay(y, m, dd, calendar)) {
      const open = zonedToUtc(y, m, dd, calendar.openHour, calendar.timeZone);
      const close = zonedToUtc(y, m, dd, calendar.closeHour, calendar.timeZone);
      cursor = Math.max(cursor, open);
      if (cursor < close) {
        const available = close - cursor;
        if (remaining <= available) {
          return new Date(cursor + remaining);
        }
        remaining -= available;
        cursor = close;
      }
    }
    day += 86_400_000;
  }
  throw new RangeError('addBusinessHours: no business day within ten years (check the holidays)');
}

/** Business time between two instants, in ms (0 when `to` is not after `from`). */
export function businessMsBetween(
  from: Date,
  to: Date,
  calendarOrCountry: BusinessCalendar | string,
): number {
  const calendar = calendarOf(calendarOrCountry);
  let total = 0;
  const start = localParts(from.getTime(), calendar.timeZone);
  let day = Date.UTC(start.year, start.month - 1, start.day);
  while (day <= to.getTime() + 86_400_000) {
    const d = new Date(day);
    const [y, m, dd] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
    if (isBusinessDay(y, m, dd, calendar)) {
      const open = Math.max(
        zonedToUtc(y, m, dd, calendar.openHour, calendar.timeZone),
        from.getTime(),
      );
      const close = Math.min(
        zonedToUtc(y, m, dd, calendar.closeHour, calendar.timeZone),
        to.getTime(),
      );
      total += Math.max(0, close - open);
    }
    day += 86_400_000;
  }
  return total;
}

/** Whether an instant falls inside business hours. */
export function isBusinessTime(at: Date, calendarOrCountry: BusinessCalendar | string): boolean {
  const calendar = calendarOf(calendarOrCountry);
  const p = localParts(at.getTime(), calendar.timeZone);
  return (
    isBusinessDay(p.year, p.month, p.day, calendar) &&
    p.hour >= calendar.openHour &&
    p.hour < calendar.closeHour
  );
}
