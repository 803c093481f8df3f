import { encodeId } from '../server/shared/ids.js';
import { type CallRecord } from './serve.js';
import { type ServerProcess } from './server-process.js';

// Drives one tenant consolidation through the public API, as a front-end would: plan, start, and
// watch the status; when only people or Microsoft can move it (WAITING), advance the emulator's
// clock so simulated support does its part. Customers accept the target's invitation up front
// (control API) so the measured time is ours and Partner Center's, not a simulated customer's.

export interface PartnerRow {
  tenantId: string;
  organizationId: string;
  labels: string[];
}

export interface CustomerRow {
  tenantId: string;
  relationships: Array<{ partnerTenantId: string }>;
}

export interface Layout {
  target: PartnerRow;
  sources: PartnerRow[];
  customers: Array<{ tenantId: string; sourceTenantId: string }>;
}

export async function layout(server: ServerProcess): Promise<Layout> {
  const partners = await server.control<PartnerRow[]>('GET', 'partners');
  const target = partners.find((p) => p.labels.includes('central'));
  const sources = partners.filter((p) => p.labels.includes('regional'));
  if (!target || sources.length === 0) {
    throw new Error('scenario has no central/regional tenants');
  }
  const sourceIds = new Set(sources.map((s) => s.tenantId));
  const customers = (await server.control<CustomerRow[]>('GET', 'customers')).flatMap((c) => {
    const source = c.relationships.find((r) => sourceIds.has(r.partnerTenantId));
    return source ? [{ tenantId: c.tenantId, sourceTenantId: source.partnerTenantId }] : [];
  });
  return { target, sources, customers };
}

/** Every customer accepts the target's reseller relationship (with delegated admin). */
export async function acceptAll(
  server: ServerProcess,
  target: string,
  customers: Array<{ tenantId: string }>,
): Promise<void> {
  const queue = [...customers];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let c = queue.shift(); c; c = queue.shift()) {
        await server.control('POST', `customers/${c.tenantId}/accept-relationship`, {
          partnerTenantId: target,
          delegatedAdmin: true,
        });
      }
    }),
  );
}

const PLAN = /* GraphQL */ `
  mutation Plan($input: PlanTenantConsolidationInput!) {
    planTenantConsolidation(input: $input) {
      userErrors {
        code
        message
      }
      workflow {
        id
        status
        progress {
          total
        }
        blockers {
          code
          message
        }
      }
    }
  }
`;

interface PlanResult {
  planTenantConsolidation: {
    userErrors: Array<{ code: string; message: string }>;
    workflow: {
      id: string;
      status: string;
      progress: { total: number };
      blockers: Array<{ code: string; message: string }>;
    } | null;
  };
}

export async function plan(
  server: ServerProcess,
  l: Layout,
  customers: Array<{ tenantId: string; sourceTenantId: string }>,
): Promise<{ id: string; items: number; seconds: number }> {
  const t0 = performance.now();
  const result = await server.gql<PlanResult>(PLAN, {
    input: {
      sourcePartnerTenantIds: l.sources.map((s) => encodeId('PartnerTenant', s.tenantId)),
      targetPartnerTenantId: encodeId('PartnerTenant', l.target.tenantId),
      customerIds: customers.map((c) => encodeId('Customer', c.sourceTenantId, c.tenantId)),
    },
  });
  const payload = result.planTenantConsolidation;
  if (!payload.workflow || payload.userErrors.length > 0) {
    throw new Error(`plan failed: ${JSON.stringify(payload.userErrors)}`);
  }
  return {
    id: payload.workflow.id,
    items: payload.workflow.progress.total,
    seconds: (performance.now() - t0) / 1000,
  };
}

export interface RunResult {
  status: string;
  wallSeconds: number;
  /** Server-clock intervals in which the workflow only waited on the (virtual) clock. */
  idle: Array<[number, number]>;
  startMs: number;
  endMs: number;
  clockAdvances: number;
}

/**
 * One status poll, retried: on the shared 2-core machine a poll of a 5,000-customer run can time
 * out or be reset while the API is busy (a failed poll is the bench's, not the workflow's).
 */
async function pollStatus(
  server: ServerProcess,
  id: string,
): Promise<{ node: { status: string } }> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await server.gql<{ node: { status: string } }>(
        'query($id: ID!) { node(id: $id) { ... on Workflow { status } } }',
        { id },
      );
    } catch (error) {
      if (attempt >= 5) {
        throw error;
      }
      const cause = error instanceof Error ? String(error.cause ?? error.message) : String(error);
      process.stderr.write(`[bench] status poll failed (${cause}); retrying\n`);
      await new Promise((resolve) => setTimeout(resolve, 1_000 * attempt));
    }
  }
}

/** Starts the workflow and waits for an end state, advancing the emulator clock while it only waits. */
export async function runToEnd(
  server: ServerProcess,
  id: string,
  options: { timeoutMs: number; advance?: string },
): Promise<RunResult> {
  const startMs = await server.reset();
  const t0 = performance.now();
  const started = await server.gql<{
    startWorkflow: { userErrors: Array<{ message: string }> };
  }>('mutation($id: ID!) { startWorkflow(input: { id: $id }) { userErrors { message } } }', {
    id,
  });
  if (started.startWorkflow.userErrors.length > 0) {
    throw new Error(`start failed: ${JSON.stringify(started.startWorkflow.userErrors)}`);
  }
  const idle: Array<[number, number]> = [];
  let clockAdvances = 0;
  let waitingSeen = 0;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const { node } = await pollStatus(server, id);
    if (['COMPLETED', 'FAILED', 'CANCELED'].includes(node.status)) {
      const endMs = await server.mark();
      return {
        status: node.status,
        wallSeconds: (performance.now() - t0) / 1000,
        idle,
        startMs,
        endMs,
        clockAdvances,
      };
    }
    if (performance.now() - t0 > options.timeoutMs) {
      const endMs = await server.mark();
      return {
        status: `TIMEOUT(${node.status})`,
        wallSeconds: (performance.now() - t0) / 1000,
        idle,
        startMs,
        endMs,
        clockAdvances,
      };
    }
    // WAITING twice in a row: nothing can run until time passes (Microsoft support's business hours).
    waitingSeen = node.status === 'WAITING' ? waitingSeen + 1 : 0;
    if (waitingSeen >= 2) {
      const from = await server.mark();
      await server.control('POST', 'clock/advance', { duration: options.advance ?? 'PT12H' });
      clockAdvances += 1;
      waitingSeen = 0;
      idle.push([from, await server.mark()]);
    }
  }
}

export interface Utilization {
  /**
   * The tenant whose budget bounds the run (the one with the most calls): its calls / calls allowed
   * over the time it had work (first to last call of each phase).
   */
  utilization: number;
  /** The same over every tenant, weighted by calls; source tenants idle while they wait on the target. */
  allTenants: number;
  perTenant: Array<{ tenant: string; calls: number; busySeconds: number; utilization: number }>;
}

/**
 * Share of the allowed rate used while work was available: per tenant and per phase (phases are cut
 * by the idle intervals, when the workflow only waited on the clock), calls / (limit × span from
 * the phase's first to last call of that tenant).
 */
export function utilization(
  calls: CallRecord[],
  tenants: string[],
  run: RunResult,
  limitPerSecond: number,
): Utilization {
  const cuts = [run.startMs, ...run.idle.flat(), run.endMs];
  const phases: Array<[number, number]> = [];
  for (let i = 0; i + 1 < cuts.length; i += 2) {
    phases.push([cuts[i] ?? 0, cuts[i + 1] ?? 0]);
  }
  const perTenant = tenants.map((tenant, index) => {
    let count = 0;
    let busyMs = 0;
    for (const [from, to] of phases) {
      const times = calls
        .filter((c) => c[1] === index && c[0] >= from && c[0] <= to)
        .map((c) => c[0]);
      if (times.length === 0) {
        continue;
      }
      count += times.length;
      const span = Math.max(...times) - Math.min(...times);
      // A phase can't be shorter than its calls at the full rate.
      busyMs += Math.max(span, (times.length / limitPerSecond) * 1000);
    }
    const allowed = (busyMs / 1000) * limitPerSecond;
    return {
      tenant,
      calls: count,
      busySeconds: busyMs / 1000,
      utilization: allowed > 0 ? count / allowed : 0,
    };
  });
  const totalCalls = perTenant.reduce((a, t) => a + t.calls, 0);
  const totalAllowed = perTenant.reduce((a, t) => a + t.busySeconds * limitPerSecond, 0);
  const busiest = [...perTenant].sort((a, b) => b.calls - a.calls)[0];
  return {
    utilization: busiest?.utilization ?? 0,
    allTenants: totalAllowed > 0 ? totalCalls / totalAllowed : 0,
    perTenant,
  };
}
