import { MAX_LINES, type LicenseLine, type LineAction } from './channel-move.model.js';

/**
 * The CSV a partner uploads with the customer's existing licenses (`PlanChannelMoveInput.csv`).
 * Comma-separated, RFC 4180 quoting, UTF-8 (a BOM is ignored), one header row naming the columns
 * in any order and any case; blank lines are skipped; other columns are ignored (e.g. a product
 * name kept for people):
 *
 * | column      | required | value                                                         |
 * |-------------|----------|---------------------------------------------------------------|
 * | `offerId`   | yes      | the Partner Center offer id of the license                   |
 * | `seats`     | yes      | whole number of licenses, > 0                                 |
 * | `expiresOn` | no       | ISO-8601 date or date-time (UTC) of the natural expiry       |
 * | `action`    | no       | `LET_EXPIRE` (default) or `CANCEL`                            |
 *
 * Line numbers are physical lines of the text (the header is line 1), as a spreadsheet shows them.
 */
export const CSV_COLUMNS = ['offerId', 'seats', 'expiresOn', 'action'] as const;

export interface CsvProblem {
  line: number;
  message: string;
}

export type CsvResult = { ok: true; lines: LicenseLine[] } | { ok: false; problems: CsvProblem[] };

/** Splits CSV text into records of fields, with the physical line each record starts on. */
function records(text: string): Array<{ line: number; fields: string[] }> | CsvProblem {
  const out: Array<{ line: number; fields: string[] }> = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let i = 0;
  const endRecord = () => {
    fields.push(field);
    out.push({ line: start, fields });
    fields = [];
    field = '';
  };
  while (i < text.length) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        if (ch === '\n') {
          line += 1;
        }
        field += ch;
      }
      i += 1;
      continue;
    }
    if (ch === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (ch === ',') {
      fields.push(field);
      field = '';
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && text[i + 1] === '\n') {
        i += 1;
      }
      endRecord();
      line += 1;
      start = line;
    } else {
      field += ch;
    }
    i += 1;
  }
  if (quoted) {
    return { line: start, message: 'a quoted field is not closed.' };
  }
  if (field !== '' || fields.length > 0) {
    endRecord();
  }
  return out;
}

const normalize = (name: string) =>
  name
    .trim()
    .toLowerCase()
    .replace(/[\s_-]/g, '');

/** Parses a date or date-time; a bare date or a date-time without offset is taken as UTC. */
export function parseUtcDate(value: string): string | null {
  const text = value.trim();
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) {
    return null;
  }
  const withZone =
    text.length === 10
      ? `${text}T00:00:00Z`
      : /(Z|[+-]\d{2}:?\d{2})$/.test(text)
        ? text.replace(' ', 'T')
        : `${text.replace(' ', 'T')}Z`;
  const ms = Date.parse(withZone);
  if (Number.isNaN(ms)) {
    return null;
  }
  // Reject calendar overflow (2026-02-31 parses as March 3rd).
  const iso = new Date(ms).toISOString();
  return text.length === 10 && iso.slice(0, 10) !== text ? null : iso;
}

/**
 * Reads the licenses CSV. Every bad row is reported with its line number; any problem means no
 * line at all is returned (the plan is refused and nothing is created).
 */
export function parseLicensesCsv(text: string): CsvResult {
  const parsed = records(text.replace(/^\uFEFF/, ''));
  if (!Array.isArray(parsed)) {
    return { ok: false, problems: [parsed] };
  }
  const rows = parsed.filter((r) => r.fields.some((f) => f.trim() !== ''));
  const header = rows.shift();
  if (!header) {
    return {
      ok: false,
      problems: [
        { line: 1, message: `the CSV is empty; expected a header row (${CSV_COLUMNS.join(',')}).` },
      ],
    };
  }
  const index = new Map<string, number>();
  header.fields.forEach((name, i) => {
    const key = normalize(name);
    if (!index.has(key)) {
      index.set(key, i);
    }
  });
  const missing = ['offerId', 'seats'].filter((c) => !index.has(normalize(c)));
  if (missing.length > 0) {
    return {
      ok: false,
      problems: [
        {
          line: header.line,
          message: `the header lacks the column(s) ${missing.join(', ')} (columns: ${CSV_COLUMNS.join(', ')}).`,
        },
      ],
    };
  }
  if (rows.length === 0) {
    return {
      ok: false,
      problems: [{ line: header.line, message: 'the CSV has no license rows.' }],
    };
  }
  if (rows.length > MAX_LINES) {
    return {
      ok: false,
      problems: [
        {
          line: rows[MAX_LINES]?.line ?? header.line,
          message: `at most ${MAX_LINES} license rows are accepted.`,
        },
      ],
    };
  }
  const cell = (fields: string[], column: string) => {
    const i = index.get(normalize(column));
    return i === undefined ? '' : (fields[i] ?? '').trim();
  };
  const problems: CsvProblem[] = [];
  const lines: LicenseLine[] = [];
  for (const { line, fields } of rows) {
    const reasons: string[] = [];
    const offerId = cell(fields, 'offerId');
    if (!offerId) {
      reasons.push('offerId is empty');
    }
    const seatsText = cell(fields, 'seats');
    const seats = /^\d+$/.test(seatsText) ? Number(seatsText) : NaN;
    if (!Number.isSafeInteger(seats) || seats < 1) {
      reasons.push('seats is not a whole number greater than 0');
    }
    const expiresText = cell(fields, 'expiresOn');
    const expiresOn = expiresText ? parseUtcDate(expiresText) : null;
    if (expiresText && !expiresOn) {
      reasons.push('expiresOn is not an ISO-8601 date (YYYY-MM-DD)');
    }
    const actionText = cell(fields, 'action').toUpperCase().replace(/[\s-]/g, '_');
    let action: LineAction = 'LET_EXPIRE';
    if (actionText === 'CANCEL' || actionText === 'LET_EXPIRE') {
      action = actionText;
    } else if (actionText) {
      reasons.push('action is neither LET_EXPIRE nor CANCEL');
    }
    if (reasons.length > 0) {
      problems.push({ line, message: `${reasons.join('; ')}.` });
      continue;
    }
    lines.push({ lineNumber: line, offerId, seats, expiresOn, action });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, lines };
}
