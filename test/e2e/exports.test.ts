import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../emulator/index.js';
import { clockFrom } from '../../server/shared/clock.js';
import { PartnerRole } from '../../server/shared/enums.js';
import { PC_BASE_URL, startTestApp, type TestApp } from '../support/app.js';
import { type TenantRow } from '../support/consolidation.js';

// R-CON-9: the customer list export (every customer, those without subscriptions too), typed XLSX
// cells, no placeholder dates, and file names that keep their letters (RFC 6266 `filename*`).

const EXPORT_CUSTOMERS = `mutation($input: ExportCustomersInput!) {
  exportCustomers(input: $input) { userErrors { code field } export { url rowCount fileName contentType } }
}`;
const EXPORT_SUBSCRIPTIONS = `mutation($input: ExportSubscriptionsInput!) {
  exportSubscriptions(input: $input) { userErrors { code } export { url rowCount fileName } }
}`;

interface ExportResult {
  userErrors: Array<{ code: string; field: string[] | null }>;
  export: { url: string; rowCount: number; fileName: string; contentType: string } | null;
}

describe('customer list and typed exports', () => {
  let emulator: Emulator;
  let t: TestApp;
  let token: string;
  let spain: TenantRow;
  const empty = { companyName: 'Ñandú Ópticas «Sin suscripción»', domain: 'nandu-opticas-export' };
  let emptyTenantId: string;

  beforeAll(async () => {
    emulator = createEmulator({ scenario: 'demo', seed: 3 });
    t = await startTestApp({
      emulator,
      clock: clockFrom(emulator.clock),
      env: { WORKFLOW_RUNNER: 'off' },
    });
    const central = emulator.control.partners().find((p) => p.labels.includes('central'));
    token = await t.token(central?.organizationId as string);
    const tenants = await t.gql<{ viewer: { organization: { partnerTenants: TenantRow[] } } }>(
      '{ viewer { organization { partnerTenants { id tenantId name country } } } }',
      { token },
    );
    spain = tenants.body.data?.viewer.organization.partnerTenants.find(
      (p) => p.name === 'Contoso Cloud España',
    ) as TenantRow;
    // A new customer created in Partner Center: it has no subscription at all.
    const created = await emulator.fetch(`${PC_BASE_URL}/v1/customers`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${emulator.tokenFor(spain.tenantId)}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        companyProfile: { domain: empty.domain },
        billingProfile: {
          culture: 'es-ES',
          email: 'it@nandu.example',
          language: 'es',
          companyName: empty.companyName,
          defaultAddress: {
            country: 'ES',
            city: 'Sevilla',
            addressLine1: 'Calle Sierpes 1',
            postalCode: '41004',
            firstName: 'Lucía',
            lastName: 'Núñez',
          },
        },
      }),
    });
    expect(created.status).toBe(201);
    emptyTenantId = ((await created.json()) as { companyProfile: { tenantId: string } })
      .companyProfile.tenantId;
  });

  afterAll(async () => {
    await t?.close();
  });

  async function download(url: string, as = token) {
    const res = await fetch(url, { headers: { authorization: `Bearer ${as}` } });
    return {
      status: res.status,
      disposition: res.headers.get('content-disposition'),
      body: Buffer.from(await res.arrayBuffer()),
    };
  }

  async function sheetOf(body: Buffer) {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(body as never);
    const sheet = workbook.worksheets[0] as ExcelJS.Worksheet;
    const headers = (sheet.getRow(1).values as unknown[]).slice(1) as string[];
    const rows: Array<Record<string, ExcelJS.CellValue>> = [];
    sheet.eachRow((row, n) => {
      if (n > 1) {
        rows.push(Object.fromEntries(headers.map((h, i) => [h, row.getCell(i + 1).value ?? null])));
      }
    });
    return { sheet, headers, rows };
  }

  it('lists every customer of the tenant, those without a subscription too, in CSV and XLSX', async () => {
    const listed = await t.gql<{
      customers: {
        totalCount: number;
        edges: Array<{
          node: {
            tenantId: string;
            companyName: string;
            subscriptions: { edges: Array<{ node: { status: string } }> };
          };
        }>;
      };
    }>(
      'query($id: ID!) { customers(partnerTenantId: $id, first: 100) { totalCount edges { node { tenantId companyName subscriptions(first: 100) { edges { node { status } } } } } } }',
      { token, variables: { id: spain.id } },
    );
    const customers = listed.body.data?.customers.edges.map((e) => e.node) ?? [];
    expect(customers.map((c) => c.tenantId)).toContain(emptyTenantId);

    const xlsx = await t.gql<{ exportCustomers: ExportResult }>(EXPORT_CUSTOMERS, {
      token,
      variables: { input: { partnerTenantId: spain.id, format: 'XLSX' } },
    });
    expect(xlsx.body.data?.exportCustomers.userErrors).toEqual([]);
    const file = xlsx.body.data?.exportCustomers.export;
    expect(file?.rowCount).toBe(listed.body.data?.customers.totalCount);
    expect(file?.fileName).toMatch(/^customers-contoso-cloud-españa-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const got = await download(file?.url as string);
    expect(got.status).toBe(200);
    // RFC 6266: an ASCII fallback beside the UTF-8 name.
    expect(got.disposition).toContain('filename="customers-contoso-cloud-espana-');
    expect(got.disposition).toContain(
      `filename*=UTF-8''${encodeURIComponent(file?.fileName as string)}`,
    );
    const { headers, rows } = await sheetOf(got.body);
    expect(headers).toEqual([
      'Customer',
      'Customer tenant id',
      'Domain',
      'Country',
      'Relationship',
      'Partner tenant',
      'Microsoft Customer Agreement signed',
      'Subscriptions',
      'Active',
      'Suspended',
      'Deleted',
      'Active license seats',
    ]);
    expect(rows).toHaveLength(customers.length);
    for (const c of customers) {
      const row = rows.find((r) => r['Customer tenant id'] === c.tenantId);
      expect(row?.Customer).toBe(c.companyName);
      expect(row?.Subscriptions).toBe(c.subscriptions.edges.length);
      expect(row?.Active).toBe(
        c.subscriptions.edges.filter((s) => s.node.status === 'ACTIVE').length,
      );
      expect(row?.Suspended).toBe(
        c.subscriptions.edges.filter((s) => s.node.status === 'SUSPENDED').length,
      );
      // A boolean cell, not the text "yes"/"no".
      expect(typeof row?.['Microsoft Customer Agreement signed']).toBe('boolean');
    }
    const emptyRow = rows.find((r) => r['Customer tenant id'] === emptyTenantId);
    expect(emptyRow).toMatchObject({
      Customer: empty.companyName,
      Country: 'ES',
      Subscriptions: 0,
      Active: 0,
      'Active license seats': 0,
      'Microsoft Customer Agreement signed': false,
    });

    const csv = await t.gql<{ exportCustomers: ExportResult }>(EXPORT_CUSTOMERS, {
      token,
      variables: { input: { partnerTenantId: spain.id, format: 'CSV' } },
    });
    const text = (await download(csv.body.data?.exportCustomers.export?.url as string)).body
      .toString('utf8')
      .replace(/^\uFEFF/, '');
    const lines = text.trim().split('\r\n');
    expect(lines).toHaveLength(customers.length + 1);
    const emptyLine = lines.find((l) => l.includes(emptyTenantId));
    expect(emptyLine?.startsWith(`${empty.companyName},`)).toBe(true);
    expect(emptyLine).toContain(',ES,');
  });

  it('refuses callers without customer read rights and tenants of other organizations', async () => {
    const billing = await t.token(
      emulator.control.partners().find((p) => p.labels.includes('central'))
        ?.organizationId as string,
      [PartnerRole.BILLING_ADMIN],
    );
    const refused = await t.gql<{ exportCustomers: ExportResult }>(EXPORT_CUSTOMERS, {
      token: billing,
      variables: { input: { partnerTenantId: spain.id, format: 'CSV' } },
    });
    expect(refused.body.data?.exportCustomers ?? null).toBeNull();
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const fabrikam = emulator.control.partners().find((p) => p.name.startsWith('Fabrikam'))
      ?.organizationId as string;
    const stranger = await t.token(fabrikam);
    const foreign = await t.gql<{ exportCustomers: ExportResult }>(EXPORT_CUSTOMERS, {
      token: stranger,
      variables: { input: { partnerTenantId: spain.id, format: 'CSV' } },
    });
    expect(foreign.body.data?.exportCustomers.userErrors).toEqual([
      { code: 'NOT_FOUND', field: ['input', 'partnerTenantId'] },
    ]);
    expect(foreign.body.data?.exportCustomers.export).toBeNull();

    // Another organization cannot download the file either.
    const mine = await t.gql<{ exportCustomers: ExportResult }>(EXPORT_CUSTOMERS, {
      token,
      variables: { input: { partnerTenantId: spain.id, format: 'CSV' } },
    });
    expect(
      (await download(mine.body.data?.exportCustomers.export?.url as string, stranger)).status,
    ).toBe(404);
  });

  it('writes commitment ends as date cells and leaves Azure plan placeholders empty', async () => {
    const res = await t.gql<{ exportSubscriptions: ExportResult }>(EXPORT_SUBSCRIPTIONS, {
      token,
      variables: { input: { partnerTenantId: spain.id, format: 'XLSX' } },
    });
    const file = res.body.data?.exportSubscriptions.export;
    const { rows } = await sheetOf((await download(file?.url as string)).body);
    expect(rows.length).toBe(file?.rowCount);
    const azure = rows.filter((r) => r.Billing === 'USAGE');
    const licenses = rows.filter(
      (r) => r.Billing === 'LICENSE' && r['Commitment end (UTC)'] !== null,
    );
    expect(azure.length).toBeGreaterThan(0);
    expect(licenses.length).toBeGreaterThan(0);
    for (const row of azure) {
      expect(row['Commitment end (UTC)']).toBeNull();
    }
    for (const row of licenses) {
      const value = row['Commitment end (UTC)'];
      expect(value).toBeInstanceOf(Date);
      expect((value as Date).getUTCFullYear()).toBeLessThan(9999);
    }
    const csv = await t.gql<{ exportSubscriptions: ExportResult }>(EXPORT_SUBSCRIPTIONS, {
      token,
      variables: { input: { partnerTenantId: spain.id, format: 'CSV' } },
    });
    const text = (
      await download(csv.body.data?.exportSubscriptions.export?.url as string)
    ).body.toString('utf8');
    expect(text).not.toContain('9999-');
    // Through GraphQL too: no subscription reports the placeholder.
    const gql = await t.gql<{
      customers: {
        edges: Array<{
          node: { subscriptions: { edges: Array<{ node: { commitmentEndDate: string | null } }> } };
        }>;
      };
    }>(
      'query($id: ID!) { customers(partnerTenantId: $id, first: 100) { edges { node { subscriptions(first: 100) { edges { node { commitmentEndDate } } } } } } }',
      { token, variables: { id: spain.id } },
    );
    const ends = gql.body.data?.customers.edges.flatMap((e) =>
      e.node.subscriptions.edges.map((s) => s.node.commitmentEndDate),
    );
    expect(ends?.length).toBeGreaterThan(0);
    expect(ends?.some((d) => d?.startsWith('9999'))).toBe(false);
  });
});
