/**
 * Business hours for the transfer SLA (R-TRF-7: "a Microsoft support engineer answers within 8
 * business hours"). Partner Center's documented support hours for most countries are 09:00–17:00
 * local time, Monday to Friday, excluding holidays (partner-center-api.md §7); the issue fixes that
 * window for every country. Local time follows the country's time zone through Intl, so daylight
 * saving changes are handled by the platform's tz database.
 */

/** IANA time zone per country (the partner's country decides the support window). */
const TIME_ZONES: Record<string, string> = {
  FR: 'Europe/Paris',
  DE: 'Europe/Berlin',
  ES: 'Europe/Madrid',
  IT: 'Europe/Rome',
  NL: 'Europe/Amsterdam',
  BE: 'Europe/Brussels',
  LU: 'Europe/Luxembourg',
  AT: 'Europe/Vienna',
  IE: 'Europe/Dublin',
  PT: 'Europe/Lisbon',
  FI: 'Europe/Helsinki',
  GB: 'Europe/London',
  CH: 'Europe/Zurich',
  PL: 'Europe/Warsaw',
  SE: 'Europe/Stockholm',
  NO: 'Europe/Oslo',
  DK: 'Europe/Copenhagen',
  US: 'America/New_York',
  CA: 'America/Toronto',
  BR: 'America/Sao_Paulo',
  MX: 'America/Mexico_City',
  AR: 'America/Argentina/Buenos_Aires',
  MA: 'Africa/Casablanca',
  AE: 'Asia/Dubai',
  ZA: 'Africa/Johannesburg',
  JP: 'Asia/Tokyo',
  AU: 'Australia/Sydney',
  SG: 'Asia/Singapore',
  IN: 'Asia/Kolkata',
};

/** The time zone of a country; UTC when we do not know it. */
export function timeZoneOf(country: string): string {
  return TIME_ZONES[country.toUpperCase()] ?? 'UTC';
}

/**
 * Holidays: local dates (`YYYY-MM-DD`) that are not business days. Either one list for every
 * country, or lists per country code (`{ FR: [...], GB: [...] }`, `*` for all countries).
 */
export type HolidayConfig = readonly string[] | Readonly<Record<string, readonly string[]>>;

export interface BusinessCalendar {
  country: string;
  timeZone: string;
  /** Local opening and closing hour (default 9 and 17). */
  openHour: number;
  closeHour: number;
  holidays: ReadonlySet<string>;
}

export function businessCalendar(
  country: string,
  options: { holidays?: HolidayConfig; openHour?: number; closeHour?: number } = {},
): BusinessCalendar {
  const code = country.toUpperCase();
  const { holidays } = options;
  const dates: readonly string[] = !holidays
    ? []
    : Array.isArray(holidays)
      ? (holidays as readonly string[])
      : [
          ...((holidays as Record<string, readonly string[]>)[code] ?? []),
          ...((holidays as Record<string, readonly string[]>)['*'] ?? []),
        ];
  return {
    country: code,
    timeZone: timeZoneOf(code),
    openHour: options.openHour ?? 9,
    closeHour: options.closeHour ?? 17,
    holidays: new Set(dates),
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
  return weekday >= 1 && weekday <= 5 && !calendar.holidays.has(isoDate(y, m, d));
}

/**
 * The instant `hours` business hours after `from` (R-TRF-7's response deadline). Time outside the
 * window (nights, weekends, holidays) does not count; a start outside it counts from the next
 * opening. Exact to the millisecond.
 */
export function addBusinessHours(from: Date, hours: number, calendar: BusinessCalendar): Date {
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
  throw new Error('addBusinessHours: no business day within ten years (check the holidays)');
}

/** Business time between two instants, in ms (0 when `to` is not after `from`). */
export function businessMsBetween(from: Date, to: Date, calendar: BusinessCalendar): number {
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
