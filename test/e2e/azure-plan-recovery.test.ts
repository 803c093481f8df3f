import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from 'partner-center-emulator';
import { clockFrom } from '../../server/shared/clock.js';
import {
  SimulatedCrash,
  type JournalPoint,
} from '../../server/workflows/engine/simulated-crash.js';
import { type WorkflowItemRow } from '../../server/workflows/engine/engine.types.js';
import { startTestApp, type TestApp, type TestAppOptions } from '../support/app.js';
import {
  PLAN_AZURE,
  azureState,
  demoCustomer,
  startWorkflow,
  subscriptionsOf,
  type AzureState,
} from '../support/azure-plan.js';
import { playUntil } from '../support/consolidation.js';

// R-AZP-9 (a failed line is shown with Partner Center's error and retried without redoing what
// succeeded) and crash safety of the product upgrade (a kill between the create and its journal
// entry never starts a second upgrade).

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'azure-plan-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const finished = (s: AzureState) => ['COMPLETED', 'FAILED', 'CANCELED'].includes(s.status);

async function setup(
  emulator: Emulator,
  runner: TestAppOptions['runner'] = {},
  env: Record<string, string> = {},
) {
  const t = await startTestApp({
    emulator,
    clock: clockFrom(emulator.clock),
    env: { WORKFLOW_RUNNER: 'off', ...env },
    runner: { retryBaseMs: 1, retryMaxMs: 5, ...runner },
  });
  const organizationId = emulator.control.partners().find((p) => p.labels.includes('central'))
    ?.organizationId as string;
  return { t, token: await t.token(organizationId) };
}

async function planAndStart(t: TestApp, token: string, customerId: string): Promise<string> {
  const res = await t.gql<{
    planAzurePlanTransition: { userErrors: unknown[]; workflow: { id: string } };
  }>(PLAN_AZURE, { token, variables: { input: { customerId } } });
  expect(res.body.data?.planAzurePlanTransition.userErrors).toEqual([]);
  const id = res.body.data?.planAzurePlanTransition.workflow.id as string;
  expect((await startWorkflow(t, token, id))?.userErrors).toEqual([]);
  return id;
}

async function playToEnd(t: TestApp, emulator: Emulator, token: string, id: string) {
  let state = await azureState(t, token, id);
  await playUntil(
    t,
    emulator,
    async () => {
      state = await azureState(t, token, id);
      return finished(state);
    },
    { step: 'PT10M', maxSteps: 60 },
  );
  return state;
}

const upgradesOf = (emulator: Emulator, customerTenantId: string) =>
  emulator.control.state().productUpgrades.filter((u) => u.customerTenantId === customerTenantId);

describe('Azure plan transition: failures and crashes', () => {
  it('shows a failed line with Partner Center’s error, and retryWorkflow moves only that line', async () => {
    const emulator = createEmulator({ scenario: 'demo', seed: 7 });
    const { t, token } = await setup(emulator);
    try {
      const bergmann = demoCustomer(emulator, { label: 'two-resellers' });
      const id = await planAndStart(t, token, bergmann.gid);
      await t.app.runner.drain();
      const [running] = upgradesOf(emulator, bergmann.tenantId);
      expect(running?.status).toBe('InProgress');
      expect(running?.lineItems).toHaveLength(2);
      // R-AZP-4: progress is visible per line while Partner Center works.
      const midway = await azureState(t, token, id);
      expect(midway.status).toBe('WAITING');
      expect(midway.lines.map((l) => l.state)).toEqual(['UPGRADING', 'UPGRADING']);
      expect(midway.lines.every((l) => l.upgradeId === running?.id)).toBe(true);
      expect(midway.lines[0]?.detail).toMatch(/InProgress/);
      // Make Partner Center fail one line: its source subscription cannot be found when the upgrade
      // completes (the emulator then reports the line Failed with 900114, the other Completed).
      const failing = running?.lineItems[0];
      const snapshot = emulator.control.state();
      const upgrade = snapshot.productUpgrades.find((u) => u.id === running?.id);
      (upgrade?.lineItems[0] as { sourceSubscriptionId: string }).sourceSubscriptionId = 'gone';
      emulator.control.loadState(snapshot);

      const failed = await playToEnd(t, emulator, token, id);
      expect(failed.status).toBe('FAILED');
      const bad = failed.lines.find((l) => l.azureSubscriptionId === failing?.azureSubscriptionId);
      const good = failed.lines.find((l) => l.azureSubscriptionId !== failing?.azureSubscriptionId);
      expect(bad?.state).toBe('FAILED');
      expect(bad?.errorCode).toBe('900114');
      expect(bad?.detail).toMatch(/could not be moved/);
      expect(good?.state).toBe('MAPPED');
      expect(failed.events.edges.map((e) => e.node.type)).toContain('LINE_FAILED');
      const legacyBefore = await subscriptionsOf(
        emulator,
        bergmann.partnerTenantId,
        bergmann.tenantId,
      );
      expect(legacyBefore.find((s) => s.id === bad?.commerceSubscriptionId)?.status).toBe('active');

      const retried = await t.gql<{ retryWorkflow: { userErrors: unknown[] } }>(
        'mutation($id: ID!) { retryWorkflow(input: { id: $id }) { userErrors { code } } }',
        { token, variables: { id } },
      );
      expect(retried.body.data?.retryWorkflow.userErrors).toEqual([]);
      const done = await playToEnd(t, emulator, token, id);
      expect(done.status).toBe('COMPLETED');
      expect(done.lines.map((l) => l.state)).toEqual(['MAPPED', 'MAPPED']);
      expect(done.upgradeIds).toHaveLength(2);
      // Nothing that succeeded was redone: the second upgrade carried only the failed line, and
      // the good line still points at the first one.
      const upgrades = upgradesOf(emulator, bergmann.tenantId);
      expect(upgrades).toHaveLength(2);
      expect(upgrades[1]?.lineItems.map((l) => l.azureSubscriptionId)).toEqual([
        failing?.azureSubscriptionId,
      ]);
      expect(
        done.lines.find((l) => l.azureSubscriptionId === good?.azureSubscriptionId)?.upgradeId,
      ).toBe(running?.id);
      expect(new Set(done.plans.map((p) => p.planSubscriptionId)).size).toBe(2);
    } finally {
      await t.close();
    }
  });

  for (const when of ['while the upgrade runs', 'after Partner Center finished it'] as const) {
    it(`resumes after a kill between the product upgrade's create and its journal entry (${when})`, async () => {
      const emulator = createEmulator({ scenario: 'demo', seed: 7 });
      const databaseUrl = join(dir, `${when.replace(/\W+/g, '-')}.db`);
      let killed = false;
      const crashHook = (point: JournalPoint, item: WorkflowItemRow) => {
        if (!killed && point === 'after-call' && item.step === 'upgrade') {
          killed = true;
          throw new SimulatedCrash(point);
        }
      };
      const first = await setup(
        emulator,
        { crashHook, leaseMs: 200 },
        { DATABASE_URL: databaseUrl },
      );
      const alpine = demoCustomer(emulator, { name: 'Alpine Foods' });
      const id = await planAndStart(first.t, first.token, alpine.gid);
      await expect(first.t.app.runner.drain()).rejects.toBeInstanceOf(SimulatedCrash);
      expect(killed).toBe(true);
      await first.t.close();
      // The upgrade was created in Partner Center; our journal has only its intent.
      expect(upgradesOf(emulator, alpine.tenantId)).toHaveLength(1);
      if (when === 'after Partner Center finished it') {
        await emulator.clock.advance('PT2H');
        expect(upgradesOf(emulator, alpine.tenantId)[0]?.status).toBe('Completed');
      }
      await new Promise((r) => setTimeout(r, 250)); // the dead process's leases expire

      const second = await setup(emulator, { leaseMs: 200 }, { DATABASE_URL: databaseUrl });
      try {
        const done = await playToEnd(second.t, emulator, second.token, id);
        expect(done.status).toBe('COMPLETED');
        expect(done.lines.map((l) => l.state)).toEqual(['MAPPED']);
        expect(upgradesOf(emulator, alpine.tenantId)).toHaveLength(1);
        const subs = await subscriptionsOf(emulator, alpine.partnerTenantId, alpine.tenantId);
        expect(subs.filter((s) => s.offerId.startsWith('DZH318Z0BPS6'))).toHaveLength(1);
        expect(subs.find((s) => s.offerId === 'MS-AZR-0145P')?.status).toBe('suspended');
      } finally {
        await second.t.close();
      }
    });
  }
});
