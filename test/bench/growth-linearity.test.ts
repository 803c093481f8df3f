import { describe, expect, it } from 'vitest';
import { growthSection, marginalCpu } from '../../bench/bench-report.js';
import { type GrowthRow } from '../../bench/growth-bench.js';

// Issue 20 target 4: the bench reports API CPU per customer and per customer added between sizes
// (the average at the smallest size carries the run's fixed cost).

const row = (customers: number, cpuSeconds: number) =>
  ({
    customers,
    cpuSeconds,
    cpuMsPerCustomer: (cpuSeconds * 1000) / customers,
    planCpuMsPerCustomer: 1,
    wallSeconds: 1,
    peakRssMb: 1,
    emulatorPeakRssMb: 1,
    msPerCustomer: 1,
    planSeconds: 1,
    planCpuSeconds: 1,
    status: 'COMPLETED',
    apiPeak: { heapUsedMb: 1, heapTotalMb: 1, externalMb: 1 },
  }) as unknown as GrowthRow;

describe('growth linearity in the bench report', () => {
  it('a fixed cost plus a constant cost per customer: the average falls, the marginal cost does not', () => {
    const rows = [
      row(100, 5 + 0.1 * 100),
      row(1_000, 5 + 0.1 * 1_000),
      row(5_000, 5 + 0.1 * 5_000),
    ];
    expect(marginalCpu(rows)).toEqual([
      { from: 100, to: 1_000, cpuMsPerCustomer: 100 },
      { from: 1_000, to: 5_000, cpuMsPerCustomer: 100 },
    ]);
    const lin = growthSection(rows).benchmarks['growth.linearity'] as Record<string, unknown>;
    expect(lin.cpuMsPerCustomerChangePct).toBe(-33);
    expect(lin.marginalCpuMsPerCustomerChangePct).toBe(0);
  });

  it('a cost that grows with the number of customers shows in the marginal cost', () => {
    const rows = [100, 1_000, 5_000].map((n) => row(n, 1e-5 * n * n));
    const lin = growthSection(rows).benchmarks['growth.linearity'] as Record<string, unknown>;
    // (1e-5 × (5000² − 1000²)) / 4000 = 60 ms against (1e-5 × (1000² − 100²)) / 900 = 11 ms.
    expect(lin.marginalCpuMsPerCustomerChangePct).toBe(445);
  });
});
