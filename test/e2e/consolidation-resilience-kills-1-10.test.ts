import { describeKills } from '../support/consolidation-resilience.js';

// Kills #1–#10 of the 20 seeded ones (test/support/consolidation-resilience.ts), each followed by a
// restart, end like the clean run; the fault storms are in consolidation-resilience.test.ts.
describeKills(0, 10);
