import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setupServer } from 'msw/node';
import { describe, expect, it } from 'vitest';
// Only the public path, as another project would import it.
import {
  createEmulator,
  startEmulatorServer,
  type ScenarioDefinition,
} from 'partner-center-emulator';

const PC = 'https://api.partnercenter.microsoft.com';

describe('partner-center-emulator public API', () => {
  it('works through the public import path with setupServer', async () => {
    const emulator = createEmulator({ scenario: 'demo', seed: 7 });
    const server = setupServer(...emulator.handlers);
    server.listen({ onUnhandledRequest: 'error' });
    try {
      const tenant = emulator.control.partners().find((p) => p.labels.includes('central'));
      expect(tenant).toBeDefined();
      const res = await fetch(`${PC}/v1/customers?size=2`, {
        headers: { Authorization: `Bearer ${emulator.tokenFor(tenant?.tenantId ?? '')}` },
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { items: unknown[] }).items).toHaveLength(2);
    } finally {
      server.close();
    }
  });

  it('keeps two emulators in one process fully isolated, even concurrently', async () => {
    const a = createEmulator();
    const b = createEmulator();
    const tenant = a.control.partners()[0]?.tenantId ?? '';
    const customer =
      a.control.customers().find((c) => c.relationships.some((r) => r.partnerTenantId === tenant))
        ?.tenantId ?? '';
    const auth = { Authorization: `Bearer ${a.tokenFor(tenant)}` };
    const order = (): RequestInit => ({
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ lineItems: [{ offerId: 'office365-e1', quantity: 1 }] }),
    });
    await Promise.all([
      a.fetch(`/v1/customers/${customer}/orders`, order()),
      b.fetch('/v1/customers', { headers: auth }),
      a.fetch(`/v1/customers/${customer}/orders`, order()),
      a.clock.advance('P1D'),
    ]);
    a.control.addFault({ path: '/v1/*', status: 500 });
    expect(a.control.state().orders.length).toBe(b.control.state().orders.length + 2);
    expect(b.clock.now().toISOString()).toBe('2026-01-05T08:00:00.000Z');
    expect(b.control.faults()).toHaveLength(0);
    expect((await b.fetch('/v1/customers', { headers: auth })).status).toBe(200);
    expect((await a.fetch('/v1/customers', { headers: auth })).status).toBe(500);
  });

  it('is deterministic from the seed', () => {
    const one = createEmulator({ seed: 3 }).control.state();
    const two = createEmulator({ seed: 3 }).control.state();
    const other = createEmulator({ seed: 4 }).control.state();
    expect(JSON.stringify(one)).toBe(JSON.stringify(two));
    expect(other.partners[0]?.tenantId).not.toBe(one.partners[0]?.tenantId);
    expect(other.customers.map((c) => c.companyName)).toEqual(
      one.customers.map((c) => c.companyName),
    );
  });

  it('loads a human-written scenario file with per-customer autopilot behaviour', async () => {
    const scenario: ScenarioDefinition = {
      name: 'two-customers',
      clock: '2026-03-02T09:00:00Z',
      organizations: [
        {
          key: 'acme',
          name: 'Acme Cloud',
          tenants: [
            { key: 'acme-fr', name: 'Acme France', country: 'FR', labels: ['regional'] },
            { key: 'acme-eu', name: 'Acme Europe', country: 'NL', labels: ['central'] },
          ],
        },
      ],
      customers: [
        {
          key: 'quick',
          companyName: 'Quick SARL',
          country: 'FR',
          relationships: [{ partner: 'acme-fr' }],
          subscriptions: [{ partner: 'acme-fr', offer: 'office365-e3', quantity: 12 }],
          autopilot: { acceptInvitation: 2 },
        },
        {
          key: 'stubborn',
          companyName: 'Stubborn SA',
          country: 'FR',
          labels: ['never-accepts'],
          mca: false,
          relationships: [{ partner: 'acme-fr' }],
          subscriptions: [{ partner: 'acme-fr', offer: 'azure-legacy' }],
          autopilot: { acceptInvitation: 'never' },
        },
      ],
    };
    const dir = mkdtempSync(join(tmpdir(), 'scenario-'));
    const file = join(dir, 'scenario.json');
    writeFileSync(file, JSON.stringify(scenario));
    const emulator = createEmulator({ scenario: file });
    expect(emulator.clock.now().toISOString()).toBe('2026-03-02T09:00:00.000Z');
    const central = emulator.control.partners().find((p) => p.labels.includes('central'));
    const auth = { Authorization: `Bearer ${emulator.tokenFor(central?.tenantId ?? '')}` };
    await emulator.fetch('/v1/customers/relationshiprequests', { headers: auth });
    await emulator.clock.advance('PT3H');
    const list = (await (await emulator.fetch('/v1/customers', { headers: auth })).json()) as {
      items: { companyProfile: { companyName: string } }[];
    };
    expect(list.items.map((i) => i.companyProfile.companyName)).toEqual(['Quick SARL']);
    const server = await startEmulatorServer(emulator, { port: 0 });
    try {
      const res = await fetch(`${server.url}/_emulator/customers`);
      expect(((await res.json()) as unknown[]).length).toBe(2);
    } finally {
      await server.close();
    }
  });

  // Its build time is a benchmark figure (bench's emulator memory section), not a timed test.
  it('builds the large preset (5,000 customers, 50,000 subscriptions)', () => {
    const emulator = createEmulator({ scenario: 'large' });
    const state = emulator.control.state();
    expect(state.customers).toHaveLength(5000);
    expect(state.subscriptions).toHaveLength(50000);
  });

  it('advances the clock through onAdvance listeners and validates signatures when asked', async () => {
    const emulator = createEmulator({
      scenario: 'empty',
      auth: { verifySignature: true, secret: 's3cret' },
    });
    const seen: string[] = [];
    emulator.clock.onAdvance((now) => seen.push(now.toISOString()));
    await emulator.clock.advance('PT30M');
    await emulator.clock.set('2026-01-06T00:00:00Z');
    expect(seen).toEqual(['2026-01-05T08:30:00.000Z', '2026-01-06T00:00:00.000Z']);
    const forged = emulator.tokenFor('x').replace(/\.[^.]+$/, '.bad');
    expect(
      (await emulator.fetch('/v1/customers', { headers: { Authorization: `Bearer ${forged}` } }))
        .status,
    ).toBe(401);
  });
});
