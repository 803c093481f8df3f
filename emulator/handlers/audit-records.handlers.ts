import { z } from 'zod';
import { DAY_MS } from '../core/duration.js';
import type { AuditRecordRecord } from '../core/model.js';
import { auditRecordView } from '../domain/views.js';
import { ciObject } from '../http/body.js';
import { decodeToken, pageSize, seekPage } from '../http/paging.js';
import { collection, errors, json, link } from '../http/responses.js';
import type { PcRequest, PcRoute } from '../http/router.js';

/**
 * `GET /auditrecords?startDate=&endDate=&filter=&size=` (partner-center-api.md §8): no dates = last
 * 30 days; a start more than 90 days back is refused (retention); a missing end means "start + 30
 * days or now, whichever is less" [U]; date-only end dates include the whole day. Seek paging with
 * `MS-ContinuationToken`, oldest first.
 */
const filterSchema = ciObject({
  field: z.string(),
  value: z.string(),
  operator: z.string().optional(),
});

function parseDate(raw: string, name: string): Date {
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T00:00:00Z` : raw);
  if (Number.isNaN(d.getTime())) {
    throw errors.invalidInput(`${name} must be a date (yyyy-mm-dd).`);
  }
  return d;
}

type Predicate = (a: AuditRecordRecord) => boolean;

function parseFilter(raw: string | null): Predicate {
  if (!raw) {
    return () => true;
  }
  let parsed;
  try {
    parsed = filterSchema.safeParse(JSON.parse(raw));
  } catch {
    throw errors.invalidInput('The filter parameter is not valid JSON.');
  }
  if (!parsed.success) {
    throw errors.invalidInput('The filter must have Field and Value.');
  }
  const value = parsed.data.value.toLowerCase();
  switch (parsed.data.field.toLowerCase()) {
    case 'companyname':
      return (a) => (a.customerName ?? '').toLowerCase().includes(value);
    case 'customerid':
      return (a) => (a.customerId ?? '').toLowerCase() === value;
    case 'resourcetype':
      return (a) =>
        a.resourceType.toLowerCase() === value.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
    default:
      throw errors.invalidInput(`Unsupported audit filter field "${parsed.data.field}".`);
  }
}

function list(req: PcRequest): Response {
  const { rt, tenant } = req;
  const now = rt.now();
  const rawStart = req.query('startDate');
  const rawEnd = req.query('endDate');
  const start = rawStart ? parseDate(rawStart, 'startDate') : new Date(now.getTime() - 30 * DAY_MS);
  const retentionStart = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - 90 * DAY_MS,
  );
  if (start.getTime() < retentionStart.getTime()) {
    throw errors.invalidInput(
      'The start date cannot be more than 90 days in the past: audit records are kept for 90 days.',
    );
  }
  let end = rawEnd
    ? parseDate(rawEnd, 'endDate')
    : new Date(Math.min(start.getTime() + 30 * DAY_MS, now.getTime() + 1));
  if (rawEnd && /^\d{4}-\d{2}-\d{2}$/.test(rawEnd)) {
    end = new Date(end.getTime() + DAY_MS);
  }
  if (end.getTime() < start.getTime()) {
    throw errors.invalidInput('endDate is before startDate.');
  }
  const rawFilter = req.query('filter');
  const predicate = parseFilter(rawFilter);
  const size = pageSize(
    req.query('size'),
    rt.options.paging.auditDefault,
    rt.options.paging.auditMax,
  );
  const fingerprint = `${tenant.tenantId}|${start.toISOString()}|${end.toISOString()}|${rawFilter ?? ''}`;
  const token = req.header('MS-ContinuationToken');
  const afterKey = token ? decodeToken(token, fingerprint) : undefined;
  const startIso = start.toISOString();
  const endIso = end.toISOString();
  const rows = (rt.store.auditByPartner.get(tenant.tenantId) ?? []).filter(
    (a) => a.operationDate >= startIso && a.operationDate < endIso && predicate(a),
  );
  const keyOf = (a: AuditRecordRecord): string => `${a.operationDate}|${a.id}`;
  rows.sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));
  const page = seekPage(rows, keyOf, size, afterKey, fingerprint);
  const query = [
    `startDate=${rawStart ?? startIso.slice(0, 10)}`,
    rawEnd ? `endDate=${rawEnd}` : '',
    rawFilter ? `filter=${encodeURIComponent(rawFilter)}` : '',
    `size=${size}`,
  ]
    .filter(Boolean)
    .join('&');
  return json(
    collection(page.items.map(auditRecordView), {
      selfUri: `/auditrecords?${query}`,
      next: page.nextToken
        ? link(`/auditrecords?${query}&seekOperation=Next`, 'GET', [
            { key: 'MS-ContinuationToken', value: page.nextToken },
          ])
        : undefined,
      continuationToken: page.nextToken,
    }),
  );
}

export function auditRecordsHandlers(): PcRoute[] {
  return [{ method: 'GET', pattern: '/v1/auditrecords', family: 'audit_records', handle: list }];
}
