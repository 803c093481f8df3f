import { realDate } from '../../partner-center/mapping.js';

export type ExportFormat = 'CSV' | 'XLSX';

export type CellValue = string | number | boolean | Date | null;

export interface Column {
  key: string;
  header: string;
  width?: number;
  /**
   * `date`: ISO-8601 strings (or Dates) become typed date cells in XLSX and ISO-8601 UTC in CSV;
   * Partner Center's placeholder dates (year 9999) become empty cells.
   */
  type?: 'date';
}

export interface Table {
  sheetName: string;
  columns: Column[];
  rows: Array<Record<string, CellValue | undefined>>;
}

/**
 * A date cell's value: a Date; null when absent or a placeholder; text that is no date at all
 * ("at acceptance") stays text.
 */
function dateValue(value: CellValue | undefined): Date | string | null {
  if (value === null || value === undefined || typeof value === 'boolean') {
    return null;
  }
  const text = value instanceof Date ? value.toISOString() : String(value);
  if (typeof value === 'string' && Number.isNaN(Date.parse(value))) {
    return text;
  }
  return realDate(text);
}

/** Date-only ISO strings (`2026-02-01`) stay dates without a time in both formats. */
const isDateOnly = (value: CellValue | undefined) =>
  typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);

/** RFC 4180 field quoting; a leading =, +, - or @ is prefixed with ' so spreadsheets never run it as a formula. */
function csvField(value: CellValue | undefined): string {
  if (value === null || value === undefined) {
    return '';
  }
  if (typeof value === 'boolean') {
    // The same words the exports always wrote, so existing CSV consumers keep working.
    return value ? 'yes' : 'no';
  }
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) {
    text = `'${text}`;
  }
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvCell(column: Column, value: CellValue | undefined): string {
  if (column.type !== 'date') {
    return csvField(value);
  }
  const date = dateValue(value);
  if (!(date instanceof Date)) {
    return csvField(date);
  }
  return isDateOnly(value) ? date.toISOString().slice(0, 10) : date.toISOString();
}

export function toCsv(table: Table): Buffer {
  const lines = [table.columns.map((c) => csvField(c.header)).join(',')];
  for (const row of table.rows) {
    lines.push(table.columns.map((c) => csvCell(c, row[c.key])).join(','));
  }
  // A UTF-8 BOM so Excel opens accented company names correctly.
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

export async function toXlsx(table: Table): Promise<Buffer> {
  // Loaded on the first XLSX export only: exceljs is heavy and most processes never write one.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'csp-migrations';
  const sheet = workbook.addWorksheet(table.sheetName);
  sheet.columns = table.columns.map((c) => ({
    header: c.header,
    key: c.key,
    width: c.width ?? 20,
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  for (const row of table.rows) {
    const values: Record<string, CellValue> = {};
    for (const c of table.columns) {
      const value = row[c.key];
      values[c.key] = c.type === 'date' ? dateValue(value) : (value ?? null);
    }
    const added = sheet.addRow(values);
    table.columns.forEach((c, index) => {
      if (c.type === 'date' && values[c.key] instanceof Date) {
        // Excel has no time zone: the cell holds the UTC instant, and the header says (UTC).
        added.getCell(index + 1).numFmt = isDateOnly(row[c.key])
          ? 'yyyy-mm-dd'
          : 'yyyy-mm-dd hh:mm:ss';
      }
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export async function render(
  table: Table,
  format: ExportFormat,
): Promise<{ content: Buffer; contentType: string; extension: string }> {
  return format === 'CSV'
    ? { content: toCsv(table), contentType: 'text/csv; charset=utf-8', extension: 'csv' }
    : {
        content: await toXlsx(table),
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        extension: 'xlsx',
      };
}
