/**
 * ISO 8601 durations (`PT2H`, `P1D`, `P1M`, `P1Y2M3DT4H5M6.5S`, `P2W`) used by the clock control API
 * and scenario timings. Months and years are calendar units (UTC), as Stripe test clocks do.
 */
export interface Duration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

const PATTERN =
  /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/** Parses an ISO 8601 duration; returns undefined when the text is not one. */
export function parseDuration(text: string): Duration | undefined {
  const m = PATTERN.exec(text.trim());
  if (!m || text.trim() === 'P' || /T$/i.test(text.trim())) {
    return undefined;
  }
  const n = (v: string | undefined): number => (v === undefined ? 0 : Number(v));
  return {
    years: n(m[1]),
    months: n(m[2]),
    weeks: n(m[3]),
    days: n(m[4]),
    hours: n(m[5]),
    minutes: n(m[6]),
    seconds: n(m[7]),
  };
}

/** Adds a duration (ISO text or milliseconds) to an instant. */
export function addDuration(from: Date, duration: string | number | Duration): Date {
  if (typeof duration === 'number') {
    return new Date(from.getTime() + duration);
  }
  const d = typeof duration === 'string' ? parseDuration(duration) : duration;
  if (!d) {
    throw new RangeError(`Not an ISO 8601 duration: ${String(duration)}`);
  }
  const out = new Date(from.getTime());
  if (d.years || d.months) {
    out.setUTCMonth(out.getUTCMonth() + d.years * 12 + d.months);
  }
  const ms = (((d.weeks * 7 + d.days) * 24 + d.hours) * 60 + d.minutes) * 60_000 + d.seconds * 1000;
  return new Date(out.getTime() + ms);
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
