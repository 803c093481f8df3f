import { addDuration, DAY_MS } from '../core/duration.js';
import type { SubscriptionKind } from '../core/model.js';

/** Non-renewable usage offers show a far-future commitment end (partner-center-api.md §5). */
export const FAR_FUTURE_COMMITMENT_END = '9999-12-10T00:00:00Z';

/** [S] New-commerce cancellation (and seat reduction) window: 7 days (168 h) into a term (§5). */
export const NCE_CANCELLATION_WINDOW_MS = 7 * DAY_MS;

export interface TermDates {
  /** Start of the term running at `now` (the purchase date or the last renewal). */
  termStart: Date;
  /** §5: new commerce ends the day before the anniversary (inclusive); legacy on it (exclusive). */
  commitmentEndDate: string;
  cancellationAllowedUntilDate: string | null;
}

function midnight(d: Date): string {
  return d.toISOString().slice(0, 10) + 'T00:00:00Z';
}

/**
 * The current term of a license subscription bought at `created`: terms renew back to back until
 * one covers `now`. Legacy licenses are annual commitments whatever their billing cycle.
 */
export function termDates(
  kind: SubscriptionKind,
  created: Date,
  termDuration: string | null,
  now: Date,
): TermDates {
  if (kind === 'azure_legacy' || kind === 'azure_plan') {
    return {
      termStart: created,
      commitmentEndDate: FAR_FUTURE_COMMITMENT_END,
      cancellationAllowedUntilDate: null,
    };
  }
  const term = kind === 'new_commerce' ? (termDuration ?? 'P1Y') : 'P1Y';
  let start = created;
  for (let guard = 0; guard < 1000; guard += 1) {
    const next = addDuration(start, term);
    if (next.getTime() > now.getTime()) {
      break;
    }
    start = next;
  }
  const anniversary = addDuration(start, term);
  if (kind === 'new_commerce') {
    return {
      termStart: start,
      commitmentEndDate: midnight(new Date(anniversary.getTime() - DAY_MS)),
      cancellationAllowedUntilDate: new Date(
        start.getTime() + NCE_CANCELLATION_WINDOW_MS,
      ).toISOString(),
    };
  }
  return {
    termStart: start,
    commitmentEndDate: midnight(anniversary),
    cancellationAllowedUntilDate: null,
  };
}

/** Billing cycles a term allows in new commerce: monthly terms bill monthly (§6, [S]). */
export function billingCyclesFor(termDuration: string): string[] {
  switch (termDuration.toUpperCase()) {
    case 'P1M':
      return ['monthly'];
    case 'P1Y':
      return ['monthly', 'annual'];
    case 'P3Y':
      return ['monthly', 'annual', 'triennial'];
    default:
      return [];
  }
}
