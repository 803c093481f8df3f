import { describe, expect, it } from 'vitest';
import { pathFigures } from '../../bench/call-budget.js';

// Issue 20: the bench counts a path's calls per migrated subscription from the API's call journal;
// the transfer-integrity watch's calls after completion are counted apart (with and without).

describe('pathFigures', () => {
  it("counts the watch's calls apart from the transfer's and shared reads in full", () => {
    const routes = [
      'GET /v1/customers/relationshiprequests',
      'POST /v1/customers/{id}/transfers',
      'PATCH /v1/customers/{id}/transfers/{id}',
      'GET /v1/customers/{id}/subscriptions',
      'POST /v1/customers/{id}/orders',
    ];
    const calls: Array<[number, number, number, number, number, number?]> = [
      [0, 0, 200, -1, 0, -1], // invitation URL: no customer, counted for each path
      [1, 0, 201, 0, 1, -1],
      [2, 1, 200, 0, 2, -1],
      [3, 0, 200, 0, 3, -1],
      [4, 1, 200, 0, 3, -1],
      [5, 0, 200, 0, 3, 0], // the watch, a day later
      [6, 1, 200, 0, 3, 0],
      [7, 0, 201, 1, 4], // another customer's order (re-provision path), no purpose index
    ];
    const figures = pathFigures(
      {
        calls,
        tenants: ['target', 'source'],
        customers: ['c-transfer', 'c-reprovision'],
        routes,
        purposes: ['transfer-integrity-watch'],
      },
      [
        { customer: 'c-transfer', kind: 'SUBSCRIPTION_TRANSFER', status: 'DONE', n: 10 },
        { customer: 'c-transfer', kind: 'TRANSFER_REQUEST', status: 'DONE', n: 1 },
        { customer: 'c-reprovision', kind: 'LICENSE_REPROVISION', status: 'DONE', n: 1 },
      ],
    );
    expect(figures.transfer.calls).toBe(5);
    expect(figures.transfer.watchCalls).toBe(2);
    expect(figures.transfer.callsPerSubscription).toBe(0.5);
    expect(figures.transfer.callsPerSubscriptionWithWatch).toBe(0.7);
    expect(figures.reprovision.calls).toBe(2);
    expect(figures.reprovision.watchCalls).toBe(0);
  });
});
