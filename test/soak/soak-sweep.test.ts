import { describe, expect, it } from 'vitest';
import { sweepViolations } from '../../bench/soak/soak-invariants.js';

// Issue 15: the soak counts the transfer-integrity sweep's blockers still open at the end as
// invariant violations (the short soaks in soak.test.ts and soak-today.test.ts then fail on them).

describe('soak: sweep blockers are invariant violations', () => {
  it('turns each open transfer-integrity blocker into a violation the closing counts group', () => {
    const violations = sweepViolations([
      { code: 'TRANSFER_SOURCE_STILL_ACTIVE', message: 'still reads active', subject: 'sub-1' },
      { code: 'TRANSFER_SEATS_MISMATCH', message: '7 active seats, inventory 5', subject: 'sub-2' },
      { code: 'TRANSFER_COMPLETION_OVERDUE', message: 'not completed', subject: 'transfer-1' },
      { code: 'TRANSFER_EXPIRED', message: 'a run-time blocker, not an invariant', subject: null },
    ]);
    expect(violations).toHaveLength(3);
    expect(violations[0]).toMatch(
      /sweep blocker TRANSFER_SOURCE_STILL_ACTIVE .*left active.*sub-1/,
    );
    expect(violations[1]).toMatch(/sweep blocker TRANSFER_SEATS_MISMATCH .*seats/);
    expect(violations[2]).toMatch(/sweep blocker TRANSFER_COMPLETION_OVERDUE .*transfer-1/);
  });
});
