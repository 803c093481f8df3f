import { describe, expect, it } from 'vitest';
import { createEmulator, scenarioSchema, type ScenarioDefinition } from 'partner-center-emulator';

// No setupServer here: emulator.fetch answers from the handlers without touching globalThis.fetch.
describe('partner-center-emulator isolated fetch', () => {
  it('serves relative Partner Center paths and leaves the global fetch alone', async () => {
    const globalFetch = globalThis.fetch;
    const emulator = createEmulator();
    const tenantId = emulator.control.partners()[0]?.tenantId ?? '';
    const res = await emulator.fetch('/v1/customers?size=1', {
      headers: { Authorization: `Bearer ${emulator.tokenFor(tenantId)}` },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { items: unknown[] }).items).toHaveLength(1);
    expect(globalThis.fetch).toBe(globalFetch);
  });

  it('keeps two emulators apart: state, faults and clock', async () => {
    const a = createEmulator({ seed: 2 });
    const b = createEmulator({ seed: 2 });
    const tenantId = a.control.partners()[0]?.tenantId ?? '';
    const headers = { Authorization: `Bearer ${a.tokenFor(tenantId)}` };
    a.control.addFault({ path: '/v1/*', status: 500 });
    await a.clock.advance('P1D');
    expect((await a.fetch('/v1/customers', { headers })).status).toBe(500);
    expect((await b.fetch('/v1/customers', { headers })).status).toBe(200);
    expect(b.clock.now().toISOString()).toBe('2026-01-05T08:00:00.000Z');
  });

  it('runs a scenario written by the consumer, validated by the exported schema', async () => {
    const scenario: ScenarioDefinition = scenarioSchema.parse({
      name: 'one-partner',
      organizations: [
        {
          key: 'acme',
          name: 'Acme Cloud',
          tenants: [{ key: 'acme-fr', name: 'Acme France', country: 'FR' }],
        },
      ],
      customers: [
        {
          key: 'fabrikam',
          companyName: 'Fabrikam',
          country: 'FR',
          relationships: [{ partner: 'acme-fr' }],
        },
      ],
    });
    const emulator = createEmulator({ scenario });
    const [partner] = emulator.control.partners();
    expect(partner?.name).toBe('Acme France');
    const res = await emulator.fetch('/v1/customers', {
      headers: { Authorization: `Bearer ${emulator.tokenFor(partner?.tenantId ?? '')}` },
    });
    const body = (await res.json()) as { items: { companyProfile: { companyName: string } }[] };
    expect(body.items.map((c) => c.companyProfile.companyName)).toEqual(['Fabrikam']);
  });
});
