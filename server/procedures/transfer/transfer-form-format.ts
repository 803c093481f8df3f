import { createHash } from 'node:crypto';

// Dates as people read them on the transfer form and the signing page ("22 January 2026, 21:00
// CET"), never raw ISO-8601: the wire (GraphQL, JSON) keeps ISO-8601 UTC.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}:${withTime}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      ...(withTime
        ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' }
        : {}),
    } as Intl.DateTimeFormatOptions);
    formatters.set(key, f);
  }
  return f;
}

/** Whether the text is an IANA time zone the platform knows. */
export function isTimeZone(text: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: text });
    return true;
  } catch {
    return false;
  }
}

/** "22 January 2026, 20:00 UTC" (in `timeZone`, default UTC); the text itself when not a date. */
export function humanDateTime(iso: string, timeZone = 'UTC'): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  const parts = formatter(timeZone, true).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('day')} ${get('month')} ${get('year')}, ${get('hour')}:${get('minute')} ${get('timeZoneName')}`;
}

/** "2 January 2026" (the calendar day in `timeZone`, default UTC). */
export function humanDate(iso: string, timeZone = 'UTC'): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  const parts = formatter(timeZone, false).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('day')} ${get('month')} ${get('year')}`;
}

/** SHA-256 (hex) of the form's content as the parties read it, signatures excluded. */
export function contentHash(
  sections: Array<{ title: string; rows: Array<[string, string]> }>,
): string {
  return createHash('sha256').update(JSON.stringify(sections)).digest('hex');
}

/** The short form of a content hash printed beside each signature. */
export const shortHash = (hash: string) => hash.slice(0, 12);
