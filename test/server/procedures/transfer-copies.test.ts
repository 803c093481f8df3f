import { describe, expect, it } from 'vitest';
import {
  matchTransferCopies,
  type TransferCopy,
  type TransferLine,
} from '../../../server/procedures/consolidation/steps/transfer-lines.js';

// Issue 20: a transfer's completion is taken from the target's list only when every line of the
// request has its own copy there (Partner Center's copies carry the transfer id, not the source
// subscription they came from); otherwise the transfer is read.

const line = (id: string, offerId: string | null, quantity: number): TransferLine => ({
  subscriptionId: id,
  offerId,
  quantity,
  billingCycle: offerId ? 'monthly' : null,
  productType: offerId ? 'OnlineServicesNCE' : 'AzureSubscription',
});

const copy = (id: string, offerId: string, quantity: number): TransferCopy =>
  ({ id, offerId, quantity, status: 'active', transferId: 't1' }) as TransferCopy;

describe('matchTransferCopies', () => {
  it('gives two lines of the same offer and seats two different copies', () => {
    const moved = matchTransferCopies(
      [line('S1', 'CFQ7:0001:P1M', 5), line('S2', 'cfq7:0001:p1m', 5)],
      [copy('T1', 'CFQ7:0001:P1M', 5), copy('T2', 'CFQ7:0001:P1M', 5)],
    );
    expect(moved).toEqual({ s1: 'T1', s2: 'T2' });
  });

  it('is undefined when one line has no copy (one copy for two lines, other seats, other offer)', () => {
    const lines = [line('S1', 'CFQ7:0001:P1M', 5), line('S2', 'CFQ7:0001:P1M', 5)];
    expect(matchTransferCopies(lines, [copy('T1', 'CFQ7:0001:P1M', 5)])).toBeUndefined();
    expect(
      matchTransferCopies(lines, [copy('T1', 'CFQ7:0001:P1M', 5), copy('T2', 'CFQ7:0001:P1M', 4)]),
    ).toBeUndefined();
    expect(
      matchTransferCopies(lines, [copy('T1', 'CFQ7:0001:P1M', 5), copy('T2', 'CFQ7:0002:P1M', 5)]),
    ).toBeUndefined();
    expect(matchTransferCopies(lines, [])).toBeUndefined();
  });

  it("an upgraded legacy Azure's line (offer unknown) takes the copy no offer line matched", () => {
    const moved = matchTransferCopies(
      [line('PLAN', null, 1), line('S1', 'CFQ7:0001:P1M', 1)],
      [copy('T1', 'CFQ7:0001:P1M', 1), copy('T2', 'DZH318Z0BPS6:0001', 1)],
    );
    expect(moved).toEqual({ plan: 'T2', s1: 'T1' });
  });
});
