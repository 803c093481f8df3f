import { describeKills } from '../support/consolidation-resilience.js';

// Kills #11–#20 of the 20 seeded ones (test/support/consolidation-resilience.ts), each followed by a
// restart, end like the clean run; the fault storms are in consolidation-resilience.test.ts.
describeKills(10, 20);
