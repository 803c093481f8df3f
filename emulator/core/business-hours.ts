import { countryInfo } from './regions.js';

/**
 * Microsoft support works 09:00–17:00 local time, Monday to Friday (partner-center-api.md §7,
 * "support hours"; the issue fixes this window for every country). Holidays are not modelled.
 */
export interface BusinessHours {
  startHour: number;
  endHour: number;
}

export const DEFAULT_BUSINESS_HOURS: BusinessHours = { startHour: 9, endHour: 17 };

interface LocalParts {
  weekday: number; // 0 = Sunday
  minutes: number; // minutes since local midnight
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function localParts(at: Date, timeZone: string): LocalParts {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  const parts = f.formatToParts(at);
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '0';
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday'));
  return { weekday, minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

/**
 * The instant `hours` business hours after `from`, in the given country's local time zone.
 * Works minute-accurately and follows daylight-saving changes through Intl.
 */
export function addBusinessHours(
  from: Date,
  hours: number,
  country: string,
  window: BusinessHours = DEFAULT_BUSINESS_HOURS,
): Date {
  const tz = countryInfo(country).timeZone;
  let remaining = Math.round(hours * 60);
  let t = new Date(Math.floor(from.getTime() / 60_000) * 60_000);
  if (t.getTime() < from.getTime()) {
    t = new Date(t.getTime() + 60_000);
  }
  const open = window.startHour * 60;
  const close = window.endHour * 60;
  // Bounded loop: each iteration either consumes business minutes or jumps at least to the next hour.
  for (let guard = 0; guard < 10_000; guard += 1) {
    const { weekday, minutes } = localParts(t, tz);
    const workday = weekday >= 1 && weekday <= 5;
    if (workday && minutes >= open && minutes < close) {
      const available = close - minutes;
      if (remaining <= available) {
        return new Date(t.getTime() + remaining * 60_000);
      }
      remaining -= available;
      t = new Date(t.getTime() + available * 60_000);
      continue;
    }
    if (remaining === 0 && workday && minutes === close) {
      return t;
    }
    // Outside business hours: jump to the next opening, stepping by whole minutes to stay DST-safe.
    const toOpen = minutes < open ? open - minutes : 24 * 60 - minutes + open;
    t = new Date(t.getTime() + Math.min(toOpen, 24 * 60) * 60_000);
    const check = localParts(t, tz);
    if (check.minutes !== open) {
      // A DST change moved the wall clock: correct by the difference.
      t = new Date(t.getTime() + (open - check.minutes) * 60_000);
    }
  }
  return t;
}

/** Whether an instant falls inside business hours in the country. */
export function isBusinessTime(
  at: Date,
  country: string,
  window: BusinessHours = DEFAULT_BUSINESS_HOURS,
): boolean {
  const { weekday, minutes } = localParts(at, countryInfo(country).timeZone);
  return (
    weekday >= 1 &&
    weekday <= 5 &&
    minutes >= window.startHour * 60 &&
    minutes < window.endHour * 60
  );
}
