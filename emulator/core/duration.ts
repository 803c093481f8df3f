import { parse } from 'tinyduration';

/**
 * ISO 8601 durations (`PT2H`, `P1D`, `P2W`, `P1M`, `P1Y2M3DT4H5M6.5S`), parsed by `tinyduration`
 * for the emulator's clock control API and scenario timings and for the server's configuration, so
 * both accept the same texts. Months and years are calendar units (UTC), as Stripe test clocks do;
 * {@link durationMs} refuses them because they have no fixed length.
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

/**
 * Parses an ISO 8601 duration; undefined when the text is not one. Designators are accepted in
 * either case; negative durations and a dangling `T` (`P1DT`, which tinyduration tolerates) are not.
 */
export function parseDuration(text: string): Duration | undefined {
  const trimmed = text.trim().toUpperCase();
  if (trimmed.endsWith('T')) {
    return undefined;
  }
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(trimmed);
  } catch {
    return undefined;
  }
  if (parsed.negative) {
    return undefined;
  }
  return {
    years: parsed.years ?? 0,
    months: parsed.months ?? 0,
    weeks: parsed.weeks ?? 0,
    days: parsed.days ?? 0,
    hours: parsed.hours ?? 0,
    minutes: parsed.minutes ?? 0,
    seconds: parsed.seconds ?? 0,
  };
}

/** Milliseconds of the fixed-length part (weeks, days, hours, minutes, seconds). */
function fixedMs(d: Duration): number {
  return Math.round(
    (((d.weeks * 7 + d.days) * 24 + d.hours) * 60 + d.minutes) * 60_000 + d.seconds * 1000,
  );
}

/**
 * A duration of fixed length in milliseconds (`P2W`, `P1DT12H`, `PT0.5S`). Throws a RangeError for
 * text that is not a duration and for years or months, whose length depends on the start date.
 */
export function durationMs(text: string): number {
  const d = parseDuration(text);
  if (!d) {
    throw new RangeError(`Not an ISO 8601 duration: ${text}`);
  }
  if (d.years || d.months) {
    throw new RangeError(
      `${text}: years and months have no fixed length; give the duration in weeks, days or hours (e.g. P30D).`,
    );
  }
  return fixedMs(d);
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
  return new Date(out.getTime() + fixedMs(d));
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
