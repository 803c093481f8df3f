import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmulator, type Emulator, type FaultRule } from 'partner-center-emulator';
import { clockFrom } from '../../server/shared/clock.js';
import { encodeId } from '../../server/shared/ids.js';
import { SimulatedCrash } from '../../server/workflows/engine/simulated-crash.js';
import { startTestApp, type TestApp } from '../../test/support/app.js';
import {
  CONSOLIDATION_STATE,
  type ConsolidationState,
  PLAN_CONSOLIDATION,
} from '../../test/support/consolidation.js';
import { CHANNEL_MOVE_STATE, type ChannelMoveState } from '../../test/support/channel-move.js';
import { AZURE_STATE, type AzureState } from '../../test/support/azure-plan.js';
import { ADMINS, demoTransfer, SIGN, TRANSFER_STATE } from '../../test/support/transfer.js';

/**
 * The fault/crash soak (issue 8): workflows of all four kinds run at once on the `demo` scenario
 * while Partner Center answers with seeded 429s, 5xx, connection resets and hangs, and the
 * "process" is killed at seeded journal points and restarted on the same database file. Then the
 * faults stop, everything plays to its end, and the invariants are checked: no duplicate order,
 * seats equal the inventory, no overlap beyond the same day, no source left active, every workflow
 * COMPLETED (or waiting on a real blocker). Everything derives from the seed, so a failure repeats.
 */

export interface SoakOptions {
  seed: number;
  /** Keep starting rounds (each a fresh demo) until this much wall time has passed; at least one. */
  durationMs: number;
  /** Chance of a kill at each journal point during the chaos phase. */
  killProbability?: number;
  /** Most kills per round. */
  maxKills?: number;
  /** Fault intensity (probability per Partner Center request of each fault kind). */
  faultProbability?: number;
  log?: (line: string) => void;
}

export interface WorkflowOutcome {
  kind: string;
  id: string;
  status: string;
  detail: string;
}

export interface RoundReport {
  round: number;
  emulatorSeed: number;
  kills: number;
  faultsFired: number;
  requests: number;
  clockSteps: number;
  workflows: WorkflowOutcome[];
  /** Invariant checks made at the end (subscriptions, lines, request ids). */
  checks: number;
  violations: string[];
  wallMs: number;
}

export interface SoakReport {
  seed: number;
  rounds: RoundReport[];
  violations: string[];
  ok: boolean;
}

/** mulberry32: a small seeded generator (the soak's own; the emulator has its own per seed). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TERMINAL = new Set(['COMPLETED', 'FAILED', 'CANCELED']);

interface Started {
  kind: 'TENANT_CONSOLIDATION' | 'SUBSCRIPTION_TRANSFER' | 'CHANNEL_MOVE' | 'AZURE_PLAN_TRANSITION';
  id: string;
  token: string;
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const rounds: RoundReport[] = [];
  for (let round = 1; ; round++) {
    const report = await runRound(options, round, log);
    rounds.push(report);
    log(
      `round ${round} (emulator seed ${report.emulatorSeed}): ${report.workflows.map((w) => `${w.kind}=${w.status}`).join(' ')}; kills ${report.kills}, faults ${report.faultsFired}/${report.requests} requests, ${report.clockSteps} clock steps, ${report.checks} checks, ${report.violations.length} violations, ${Math.round(report.wallMs / 1000)} s`,
    );
    for (const v of report.violations) {
      log(`  VIOLATION ${v}`);
    }
    if (Date.now() - started >= options.durationMs) {
      break;
    }
  }
  const violations = rounds.flatMap((r) => r.violations.map((v) => `round ${r.round}: ${v}`));
  return { seed: options.seed, rounds, violations, ok: violations.length === 0 };
}

async function runRound(
  options: SoakOptions,
  round: number,
  log: (line: string) => void,
): Promise<RoundReport> {
  const wallStart = Date.now();
  const emulatorSeed = options.seed * 1000 + round;
  const random = seededRandom(emulatorSeed);
  const dir = mkdtempSync(join(tmpdir(), 'soak-'));
  const emulator = createEmulator({ scenario: 'demo', seed: emulatorSeed, hangMs: 400 });
  const clock = clockFrom(emulator.clock);
  const env = {
    WORKFLOW_RUNNER: 'off',
    DATABASE_URL: join(dir, 'soak.db'),
    // The client's own rate limit is real-time; the emulator enforces Partner Center's on its clock.
    PARTNER_CENTER_RATE_PER_MINUTE: '100000',
    PARTNER_CENTER_READ_CACHE_TTL: 'PT0S',
  };
  const killProbability = options.killProbability ?? 0.03;
  const maxKills = options.maxKills ?? 3;
  let kills = 0;
  let chaos = true;
  const crashHook = (point: string) => {
    if (chaos && kills < maxKills && random() < killProbability) {
      kills += 1;
      throw new SimulatedCrash(`kill ${kills} at ${point}`);
    }
  };
  const boot = () =>
    startTestApp({
      emulator,
      clock,
      env,
      runner: { retryBaseMs: 1, retryMaxMs: 4, leaseMs: 200, maxAttempts: 40, crashHook },
      // Shorter than a hang, so hung requests time out and are retried.
      partnerCenter: { retry: { maxAttempts: 2 }, timeoutMs: 250 },
    });
  let t = await boot();
  const violations: string[] = [];
  let clockSteps = 0;
  const workflows: Started[] = [];
  try {
    workflows.push(...(await startAll(t, emulator, log)));
    const p = options.faultProbability ?? 0.04;
    const faults: FaultRule[] = [
      { id: 'soak-429', status: 429, retryAfterSeconds: 1, probability: p, seed: emulatorSeed },
      { id: 'soak-5xx', status: 503, probability: p / 2, seed: emulatorSeed + 1 },
      { id: 'soak-reset', kind: 'reset', probability: p / 2, seed: emulatorSeed + 2 },
      { id: 'soak-hang', kind: 'hang', hangMs: 400, probability: p / 4, seed: emulatorSeed + 3 },
    ];
    for (const rule of faults) {
      emulator.control.addFault(rule);
    }

    // Chaos phase: faults and kills while the clock moves.
    const chaosSteps = 12 + Math.floor(random() * 12);
    const play = async (steps: number, step: string) => {
      for (let i = 0; i < steps; i++) {
        try {
          await t.app.runner.drain();
        } catch (error) {
          if (!(error instanceof SimulatedCrash)) {
            throw error;
          }
          // The process died: only the database file survives. A new one takes over.
          await t.close();
          await new Promise((r) => setTimeout(r, 250)); // its leases expire
          t = await boot();
          continue;
        }
        if (await allSettled(t, workflows)) {
          return;
        }
        await emulator.clock.advance(step);
        clockSteps += 1;
      }
    };
    await play(chaosSteps, 'PT1H');
    const faultsFired = emulator.control.faults().reduce((n, f) => n + f.fired, 0);
    chaos = false;
    emulator.control.clearFaults();
    // Recovery phase: everything plays to its end (waits are on the business clock).
    await play(400, 'PT2H');

    const checked = { n: 0 };
    const outcomes = await checkInvariants(t, emulator, workflows, violations, checked);
    return {
      round,
      emulatorSeed,
      kills,
      faultsFired,
      requests: emulator.control.requests().length,
      clockSteps,
      workflows: outcomes,
      checks: checked.n,
      violations,
      wallMs: Date.now() - wallStart,
    };
  } finally {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function statusOf(t: TestApp, token: string, id: string): Promise<string> {
  const res = await t.gql<{ node: { status: string } | null }>(
    'query($id: ID!) { node(id: $id) { ... on Workflow { status } } }',
    { token, variables: { id } },
  );
  return res.body.data?.node?.status ?? 'UNKNOWN';
}

async function allSettled(t: TestApp, workflows: Started[]): Promise<boolean> {
  for (const w of workflows) {
    if (!TERMINAL.has(await statusOf(t, w.token, w.id))) {
      return false;
    }
  }
  return true;
}

async function gqlData<T>(
  t: TestApp,
  query: string,
  token: string,
  variables: Record<string, unknown>,
): Promise<T> {
  const res = await t.gql<T>(query, { token, variables });
  if (res.body.errors || !res.body.data) {
    throw new Error(`soak: ${JSON.stringify(res.body.errors ?? res.body)}`);
  }
  return res.body.data;
}

const START =
  'mutation($id: ID!) { startWorkflow(input: { id: $id }) { userErrors { code message } } }';

/** Plans and starts one workflow of each kind on customers that do not collide. */
async function startAll(
  t: TestApp,
  emulator: Emulator,
  log: (line: string) => void,
): Promise<Started[]> {
  const partners = emulator.control.partners();
  const customers = emulator.control.customers();
  const central = partners.find((p) => p.labels.includes('central'));
  if (!central) {
    throw new Error('soak: the demo has no central tenant');
  }
  const token = await t.token(central.organizationId);
  const tenants = (
    await gqlData<{
      viewer: { organization: { partnerTenants: Array<{ id: string; tenantId: string }> } };
    }>(t, '{ viewer { organization { partnerTenants { id tenantId } } } }', token, {})
  ).viewer.organization.partnerTenants;
  const gidOf = (tenantId: string) => tenants.find((x) => x.tenantId === tenantId)?.id as string;
  const startedList: Started[] = [];
  const start = async (kind: Started['kind'], id: string, as = token) => {
    const res = await gqlData<{ startWorkflow: { userErrors: Array<{ code: string }> } }>(
      t,
      START,
      as,
      { id },
    );
    if (res.startWorkflow.userErrors.length > 0) {
      throw new Error(`soak: start ${kind}: ${JSON.stringify(res.startWorkflow.userErrors)}`);
    }
    startedList.push({ kind, id, token: as });
  };

  // 1. Subscription transfer (Oak & Stone's legacy Azure to Fabrikam), signed by all three parties.
  const transfer = await demoTransfer(emulator);
  const transferToken = await t.token(transfer.organizationId);
  const plannedTransfer = await gqlData<{
    planSubscriptionTransfer: { workflow: { id: string } | null; userErrors: unknown[] };
  }>(
    t,
    `mutation($input: PlanSubscriptionTransferInput!) { planSubscriptionTransfer(input: $input) { userErrors { code message } workflow { id } } }`,
    transferToken,
    {
      input: {
        subscriptionId: transfer.subscriptionGid,
        newPartnerTenantId: transfer.target.tenantId,
        newPartnerMpnId: transfer.target.mpnId,
        customerRequestReceivedAt: '2026-01-02T10:00:00Z',
        partnerAdmins: ADMINS,
        idempotencyKey: 'soak-transfer',
      },
    },
  );
  const transferId = plannedTransfer.planSubscriptionTransfer.workflow?.id;
  if (!transferId) {
    throw new Error(`soak: transfer plan ${JSON.stringify(plannedTransfer)}`);
  }
  await gqlData(t, SIGN, transferToken, {
    input: {
      transferId,
      party: 'CURRENT_PARTNER',
      signerName: ADMINS[0]!.name,
      signerEmail: ADMINS[0]!.email,
    },
  });
  const form = await gqlData<{
    node: { form: { signingLinks: Array<{ party: string; url: string }> } };
  }>(t, TRANSFER_STATE, transferToken, { id: transferId });
  for (const link of form.node.form.signingLinks) {
    const u = new URL(link.url);
    const res = await fetch(`${t.http.url}${u.pathname}${u.search}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        signerName: `Signer ${link.party}`,
        signerEmail: 'signer@example.com',
      }),
    });
    if (res.status !== 200) {
      throw new Error(`soak: signing ${link.party}: ${res.status} ${await res.text()}`);
    }
  }
  await start('SUBSCRIPTION_TRANSFER', transferId, transferToken);

  // 2. Azure plan transition of a direct customer that no other workflow touches.
  const azureCustomer = customers.find((c) => c.companyName.startsWith('Alpine Foods'));
  const azureRel = azureCustomer?.relationships[0];
  if (azureCustomer && azureRel) {
    const planned = await gqlData<{
      planAzurePlanTransition: { workflow: { id: string } | null; userErrors: unknown[] };
    }>(
      t,
      `mutation($input: PlanAzurePlanTransitionInput!) { planAzurePlanTransition(input: $input) { userErrors { code message } workflow { id } } }`,
      token,
      {
        input: {
          customerId: encodeId('Customer', azureRel.partnerTenantId, azureCustomer.tenantId),
          idempotencyKey: 'soak-azure',
        },
      },
    );
    const id = planned.planAzurePlanTransition.workflow?.id;
    if (!id) {
      throw new Error(`soak: Azure plan ${JSON.stringify(planned)}`);
    }
    await start('AZURE_PLAN_TRANSITION', id);
  }

  // 3. Channel move of a prospect into the central tenant (not a consolidation source).
  const prospect = customers.find((c) => c.labels.includes('prospect-in-region'));
  const offers = emulator.control.offers();
  const e3 = offers.find((o) => o.alias === 'office365-e3');
  if (prospect && e3) {
    const now = emulator.clock.now().getTime();
    const planned = await gqlData<{
      planChannelMove: { workflow: { id: string } | null; userErrors: unknown[] };
    }>(
      t,
      `mutation($input: PlanChannelMoveInput!) { planChannelMove(input: $input) { userErrors { code message } workflow { id } } }`,
      token,
      {
        input: {
          partnerTenantId: gidOf(central.tenantId),
          customerTenantId: prospect.tenantId,
          customerCountry: prospect.country,
          sourceChannel: 'OTHER_PARTNER',
          idempotencyKey: 'soak-channel',
          licenses: [
            { offerId: e3.id, seats: 12, expiresOn: new Date(now + 3 * 86_400_000).toISOString() },
          ],
        },
      },
    );
    const id = planned.planChannelMove.workflow?.id;
    if (!id) {
      throw new Error(`soak: channel move ${JSON.stringify(planned)}`);
    }
    await start('CHANNEL_MOVE', id);
  }

  // 4. Tenant consolidation of the regional tenants' other customers into the central one.
  const busy = new Set([transfer.customerTenantId, azureCustomer?.tenantId, prospect?.tenantId]);
  const regional = partners.filter((p) => p.labels.includes('regional'));
  const customerIds: string[] = [];
  for (const source of regional) {
    for (const c of customers) {
      if (
        !busy.has(c.tenantId) &&
        !c.labels.includes('never-accepts') &&
        c.relationships.some((r) => r.partnerTenantId === source.tenantId)
      ) {
        customerIds.push(encodeId('Customer', source.tenantId, c.tenantId));
      }
    }
  }
  const planned = await gqlData<{
    planTenantConsolidation: { workflow: { id: string } | null; userErrors: unknown[] };
  }>(t, PLAN_CONSOLIDATION, token, {
    input: {
      sourcePartnerTenantIds: regional.map((s) => gidOf(s.tenantId)),
      targetPartnerTenantId: gidOf(central.tenantId),
      customerIds,
      idempotencyKey: 'soak-consolidation',
    },
  });
  const consolidationId = planned.planTenantConsolidation.workflow?.id;
  if (!consolidationId) {
    throw new Error(`soak: consolidation ${JSON.stringify(planned)}`);
  }
  await start('TENANT_CONSOLIDATION', consolidationId);
  log(`  started ${startedList.map((s) => s.kind).join(', ')}`);
  return startedList;
}

type Sub = ReturnType<Emulator['control']['state']>['subscriptions'][number];

/** Checks every invariant; returns the workflows' end states. */
async function checkInvariants(
  t: TestApp,
  emulator: Emulator,
  workflows: Started[],
  violations: string[],
  checked: { n: number },
): Promise<WorkflowOutcome[]> {
  const state = emulator.control.state();
  const subs = state.subscriptions as Sub[];
  const active = (s: Sub) => s.status === 'active';
  const outcomes: WorkflowOutcome[] = [];

  // Nothing doubled at the source of truth: one MS-RequestId never made two orders.
  const createdBy = new Map<string, number>();
  for (const entry of emulator.control.requests()) {
    if (
      entry.method === 'POST' &&
      /\/orders$/.test(entry.path) &&
      entry.status >= 200 &&
      entry.status < 300 &&
      !entry.replayed &&
      entry.requestId
    ) {
      createdBy.set(entry.requestId, (createdBy.get(entry.requestId) ?? 0) + 1);
    }
  }
  for (const [requestId, n] of createdBy) {
    checked.n += 1;
    if (n > 1) {
      violations.push(`MS-RequestId ${requestId} created ${n} orders`);
    }
  }

  for (const w of workflows) {
    if (w.kind === 'TENANT_CONSOLIDATION') {
      const s = (
        await gqlData<{ node: ConsolidationState }>(t, CONSOLIDATION_STATE, w.token, { id: w.id })
      ).node;
      outcomes.push({
        kind: w.kind,
        id: w.id,
        status: s.status,
        detail: `${s.customers.totalCount} customers`,
      });
      if (s.status !== 'COMPLETED') {
        const stuck = s.customers.edges
          .filter((e) => e.node.state !== 'DONE')
          .map(
            (e) => `${e.node.customer.companyName}: ${e.node.state} ${e.node.waitingReason ?? ''}`,
          );
        violations.push(`consolidation ${s.status}: ${stuck.join('; ')}`);
      }
      if (s.billingOverlap.maxOverlapDays > 0) {
        violations.push(
          `consolidation overlap of ${s.billingOverlap.maxOverlapDays} days (R-CON-4)`,
        );
      }
      const target = (s as ConsolidationState & { target: { tenantId: string } }).target.tenantId;
      for (const { node } of s.customers.edges) {
        if (node.state !== 'DONE') {
          continue;
        }
        const customer = node.customer.tenantId;
        const expected = new Map<string, number>();
        for (const item of node.items) {
          if (item.kind !== 'LICENSE_REPROVISION' || !item.target) {
            continue;
          }
          checked.n += 2;
          const offer = item.target.offerId.toUpperCase();
          expected.set(offer, (expected.get(offer) ?? 0) + item.seats);
          if (item.target.quantity !== item.seats || item.source.quantity !== item.seats) {
            violations.push(
              `consolidation ${node.customer.companyName} ${item.source.offerId}: ${item.source.quantity} source seats, ${item.seats} planned, ${item.target.quantity} in the target (R-CON-3)`,
            );
          }
          // R-CON-4: suspending never comes before the replacement exists (early suspension).
          // `targetActiveAt` is when Partner Center bills it from (issue 16 §3); the replacement
          // exists once seen active.
          const activeAt = item.targetSeenActiveAt ?? item.targetActiveAt;
          if (
            item.sourceSuspendedAt &&
            activeAt &&
            Date.parse(item.sourceSuspendedAt) < Date.parse(activeAt)
          ) {
            violations.push(
              `consolidation ${node.customer.companyName} ${item.source.offerId}: early suspension, source suspended ${item.sourceSuspendedAt} before the target was active ${activeAt} (R-CON-4)`,
            );
          }
          const source = subs.find((x) => x.id === item.source.subscriptionId);
          if (source && active(source)) {
            violations.push(
              `consolidation ${node.customer.companyName}: source ${item.source.subscriptionId} left active (R-CON-4)`,
            );
          }
        }
        // Seats in the target equal the inventory: no duplicate order, no lost seat.
        for (const [offer, seats] of expected) {
          checked.n += 1;
          const inTarget = subs
            .filter(
              (x) =>
                x.partnerTenantId === target &&
                x.customerTenantId === customer &&
                x.offerId.toUpperCase() === offer &&
                active(x),
            )
            .reduce((n, x) => n + x.quantity, 0);
          if (inTarget !== seats) {
            violations.push(
              `consolidation ${node.customer.companyName} ${offer}: ${inTarget} seats active in the target, inventory ${seats}`,
            );
          }
        }
      }
    } else if (w.kind === 'CHANNEL_MOVE') {
      const s = (
        await gqlData<{ node: ChannelMoveState }>(t, CHANNEL_MOVE_STATE, w.token, { id: w.id })
      ).node;
      outcomes.push({
        kind: w.kind,
        id: w.id,
        status: s.status,
        detail: `${s.lines.length} lines`,
      });
      if (s.status !== 'COMPLETED') {
        violations.push(
          `channel move ${s.status}: ${s.lines.map((l) => `${l.state} ${l.detail ?? ''}`).join('; ')}`,
        );
      }
      for (const line of s.lines) {
        if (line.state !== 'DONE' || !line.targetOfferId) {
          continue;
        }
        const bought = subs.filter(
          (x) =>
            x.partnerTenantId === s.partnerTenant.tenantId &&
            x.customerTenantId === s.customer.tenantId &&
            x.offerId.toUpperCase() === line.targetOfferId!.toUpperCase() &&
            active(x),
        );
        const seats = bought.reduce((n, x) => n + x.quantity, 0);
        checked.n += 1;
        if (bought.length !== 1 || seats !== line.seats) {
          violations.push(
            `channel move line ${line.lineNumber}: ${bought.length} subscriptions with ${seats} seats, planned one with ${line.seats}`,
          );
        }
      }
    } else if (w.kind === 'AZURE_PLAN_TRANSITION') {
      const s = (await gqlData<{ node: AzureState }>(t, AZURE_STATE, w.token, { id: w.id })).node;
      outcomes.push({
        kind: w.kind,
        id: w.id,
        status: s.status,
        detail: `${s.plans.length} plans`,
      });
      if (s.status !== 'COMPLETED') {
        violations.push(
          `Azure plan ${s.status}: ${s.lines.map((l) => `${l.state} ${l.detail ?? ''}`).join('; ')}`,
        );
      }
      // R-AZP-1: one Azure plan per reseller of record (one for a direct customer), never two.
      const plans = subs.filter(
        (x) => x.customerTenantId === s.customer.tenantId && x.kind === 'azure_plan' && active(x),
      );
      const perReseller = new Map<string, number>();
      for (const p of plans) {
        const key = `${p.partnerTenantId}/${p.partnerId ?? 'direct'}`;
        perReseller.set(key, (perReseller.get(key) ?? 0) + 1);
      }
      checked.n += 1;
      for (const [key, n] of perReseller) {
        if (n > 1) {
          violations.push(`Azure plan: ${n} Azure plans for ${s.customer.companyName} ${key}`);
        }
      }
    } else {
      const s = (
        await gqlData<{
          node: {
            status: string;
            state: string;
            waitingReason: string | null;
            newSubscriptionId: string | null;
            azureSubscriptionId: string;
          };
        }>(t, TRANSFER_STATE, w.token, { id: w.id })
      ).node;
      outcomes.push({ kind: w.kind, id: w.id, status: s.status, detail: s.state });
      // A transfer waits on Microsoft support and the new partner: WAITING with a reason is a real blocker.
      if (s.status !== 'COMPLETED' && !(s.status === 'WAITING' && s.waitingReason)) {
        violations.push(`transfer ${s.status} ${s.state} ${s.waitingReason ?? ''}`);
      }
      // The Azure subscription is served by one partner at a time.
      const serving = subs.filter(
        (x) =>
          x.kind === 'azure_legacy' &&
          active(x) &&
          (x.entitlementId ?? x.id) === s.azureSubscriptionId,
      );
      checked.n += 1;
      if (serving.length > 1) {
        violations.push(
          `transfer: Azure subscription ${s.azureSubscriptionId} active at ${serving.length} partners`,
        );
      }
    }
  }
  return outcomes;
}
