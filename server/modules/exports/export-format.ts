import ExcelJS from 'exceljs';

export type ExportFormat = 'CSV' | 'XLSX';

export interface Table {
  sheetName: string;
  columns: Array<{ key: string; header: string; width?: number }>;
  rows: Array<Record<string, string | number | null>>;
}

/** RFC 4180 field quoting; a leading =, +, - or @ is prefixed with ' so spreadsheets never run it as a formula. */
function csvField(value: string | number | null): string {
  if (value === null || value === undefined) {
    return '';
  }
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) {
    text = `'${text}`;
  }
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(table: Table): Buffer {
  const lines = [table.columns.map((c) => csvField(c.header)).join(',')];
  for (const row of table.rows) {
    lines.push(table.columns.map((c) => csvField(row[c.key] ?? null)).join(','));
  }
  // A UTF-8 BOM so Excel opens accented company names correctly.
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

export async function toXlsx(table: Table): Promise<Buffer> {
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
    sheet.addRow(row);
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
