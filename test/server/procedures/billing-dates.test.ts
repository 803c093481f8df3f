import { describe, expect, it } from 'vitest';
import { createEmulator } from '../../../emulator/index.js';
import { PartnerCenterClient, seededRandom } from '../../../server/partner-center/client.js';
import { setSubscriptionStatus } from '../../../server/partner-center/operations.js';
import { EmulatorTokenProvider } from '../../../server/partner-center/token-provider.js';
import { type PcAuditRecord } from '../../../server/partner-center/contracts/audit-records.js';
import {
  sourceSuspensionTime,
  suspensionOf,
  targetBillingStart,
} from '../../../server/procedures/consolidation/steps/billing-dates.js';

// The consolidation's billing timestamps come from Partner Center (issue 16 §3): the source's
// suspension from its audit record, however late we look; the target's start from its
// effectiveStartDate, never later than when we saw it.

describe('billing timestamps from Partner Center', () => {
  it('a suspension by hand at 21:00, looked at five hours later, is dated 21:00', async () => {
    const emulator = createEmulator({ scenario: 'demo', seed: 1 });
    const fr = emulator.control.partners().find((p) => p.name === 'Contoso Cloud France')!;
    const client = new PartnerCenterClient({
      baseUrl: 'https://api.partnercenter.microsoft.com',
      partnerTenantId: fr.tenantId,
      tokenProvider: new EmulatorTokenProvider(),
      fetch: emulator.fetch,
      random: seededRandom(1),
      retry: { maxAttempts: 1 },
    });
    const customer = emulator.control
      .customers()
      .find((c) => c.companyName === 'Alpine Foods SAS')!;
    const subs = await client.listSubscriptions(customer.tenantId);
    const e3 = subs.find((s) => s.offerName === 'Office 365 E3' && s.status === 'active')!;
    await emulator.clock.set('2026-01-05T21:00:00.000Z');
    await setSubscriptionStatus(client, customer.tenantId, e3.id, 'suspended', 'req-1');
    await emulator.clock.advance('PT5H');
    const observedAt = emulator.clock.now();
    await expect(
      sourceSuspensionTime(
        client,
        customer.tenantId,
        e3.id,
        '2026-01-05T20:00:00.000Z',
        observedAt,
      ),
    ).resolves.toBe('2026-01-05T21:00:00.000Z');
    // Another subscription of the customer was never suspended: no Partner Center time for it.
    const other = subs.find((s) => s.id !== e3.id)!;
    await expect(
      sourceSuspensionTime(
        client,
        customer.tenantId,
        other.id,
        '2026-01-05T20:00:00.000Z',
        observedAt,
      ),
    ).resolves.toBeNull();
  });

  it('the target bills from its effectiveStartDate, never from after it was seen', () => {
    const seen = new Date('2026-01-06T02:00:00.000Z');
    expect(
      targetBillingStart(
        { effectiveStartDate: '2026-01-05T20:00:00Z', creationDate: '2026-01-05T20:00:00Z' },
        seen,
      ),
    ).toEqual({ at: '2026-01-05T20:00:00.000Z', source: 'PARTNER_CENTER' });
    // No effective date: the creation date; a placeholder or future date: the observation.
    expect(targetBillingStart({ creationDate: '2026-01-05T19:00:00Z' }, seen).at).toBe(
      '2026-01-05T19:00:00.000Z',
    );
    expect(
      targetBillingStart({ effectiveStartDate: '9999-12-31T00:00:00Z', creationDate: null }, seen),
    ).toEqual({ at: seen.toISOString(), source: 'OBSERVED' });
    expect(targetBillingStart({ effectiveStartDate: '2026-01-07T00:00:00Z' }, seen)).toEqual({
      at: seen.toISOString(),
      source: 'OBSERVED',
    });
  });

  it('reads the audit log only when the suspension time is uncertain (issue 20)', async () => {
    const record = {
      id: 'r1',
      operationType: 'update_subscription',
      operationStatus: 'succeeded',
      operationDate: '2026-01-05T21:00:00.000Z',
      resourceNewValue: JSON.stringify({ Id: 'src-1', Status: 'suspended' }),
    } as unknown as PcAuditRecord;
    const asked: string[] = [];
    const readAudit = async (startDate: string) => {
      asked.push(startDate);
      return [record];
    };
    const ctx = {
      data: { sourceSubscriptionId: 'src-1', targetActiveAt: '2026-01-05T20:00:00.000Z' },
      now: () => new Date('2026-01-06T02:00:00.000Z'),
      emit: () => undefined,
    } as unknown as Parameters<typeof suspensionOf>[0];
    // Our own PATCH, sent and answered on one UTC day: Partner Center's time is in it.
    await expect(
      suspensionOf(
        ctx,
        { requestedAt: '2026-01-06T01:59:59.000Z', suspendedAt: '2026-01-06T02:00:00.000Z' },
        readAudit,
      ),
    ).resolves.toEqual({ at: '2026-01-06T02:00:00.000Z', source: 'OBSERVED' });
    expect(asked).toEqual([]);
    // Found suspended (by hand, or after a crash), or a PATCH across midnight: the audit record.
    await expect(
      suspensionOf(ctx, { suspendedAt: '2026-01-06T02:00:00.000Z' }, readAudit),
    ).resolves.toEqual({ at: '2026-01-05T21:00:00.000Z', source: 'PARTNER_CENTER' });
    await expect(
      suspensionOf(
        ctx,
        { requestedAt: '2026-01-05T23:59:59.000Z', suspendedAt: '2026-01-06T00:00:01.000Z' },
        readAudit,
      ),
    ).resolves.toEqual({ at: '2026-01-05T21:00:00.000Z', source: 'PARTNER_CENTER' });
    // From the replacement's billing day.
    expect(asked).toEqual(['2026-01-05', '2026-01-05']);
  });
});
