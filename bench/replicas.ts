/**
 * Replica throughput benchmark (issue 10): one consolidation of a `large:N` scenario run by 1, 2
 * and 3 API replicas on one PostgreSQL database and one standalone emulator (with a fixed latency
 * on every Partner Center call, as the real service has), measuring wall time from start to
 * COMPLETED, Partner Center calls per second, and items finished per second.
 *
 *   npm run bench:replicas -- [customers=40] [latencyMs=50] [workflowConcurrency=8]
 *
 * Needs a PostgreSQL server: BENCH_POSTGRES_URL or TEST_POSTGRES_URL, default
 * postgres://postgres@127.0.0.1:5432/test (each run gets its own schema, dropped afterwards).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEmulator, startEmulatorServer, type Emulator } from 'partner-center-emulator';
import { freePort, replicaClient, startReplica, type Replica } from '../test/support/replicas.js';
import { PLAN_CONSOLIDATION } from '../test/support/consolidation.js';

const SECRET = 'replica-bench-secret-0123456789abcdef';
const customers = Number(process.argv[2] ?? 40);
const latencyMs = Number(process.argv[3] ?? 50);
const concurrency = Number(process.argv[4] ?? 8);
const main = join(dirname(fileURLToPath(import.meta.url)), '..', 'server', 'main.js');
process.env.TEST_POSTGRES_URL ??=
  process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
// Imported after the line above: the module reads TEST_POSTGRES_URL when it loads (a static
// import would run first and fall back to an in-process PGlite, one per replica).
const { createTestDatabase } = await import('../test/support/dialects.js');

async function quiet(emulator: Emulator, quietMs = 300): Promise<void> {
  let last = -1;
  let since = Date.now();
  for (;;) {
    const seq = emulator.control.requests({ limit: 1 }).at(-1)?.seq ?? 0;
    if (seq !== last) {
      last = seq;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) {
      return;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function run(replicaCount: number) {
  const emulator = createEmulator({
    scenario: `large:${customers}`,
    seed: 3,
    throttling: { enabled: false },
    journalLimit: 1_000_000,
  });
  emulator.control.addFault({ kind: 'latency', latencyMs, path: '/v1/*' } as never);
  const server = await startEmulatorServer(emulator, { port: await freePort(), host: '127.0.0.1' });
  const database = await createTestDatabase('pg');
  if (!database.url.startsWith('postgres')) {
    throw new Error('the replica benchmark needs a PostgreSQL server');
  }
  const replicas: Replica[] = [];
  try {
    const env = {
      NODE_ENV: 'production' === process.env.NODE_ENV ? 'production' : 'test',
      EMULATOR: 'off',
      EMULATOR_URL: server.url,
      DATABASE_URL: database.url,
      AUTH_JWT_SECRET: SECRET,
      LOG_LEVEL: 'warn',
      WORKFLOW_CONCURRENCY: String(concurrency),
      PARTNER_CENTER_RATE_PER_MINUTE: '60000',
    };
    for (let i = 0; i < replicaCount; i++) {
      replicas.push(await startReplica(`replica-${i}`, await freePort(), env, main));
    }
    const client = replicaClient(replicas[0]!, SECRET);
    const partners = emulator.control.partners();
    const organizationId = partners.find((p) => p.labels.includes('central'))!.organizationId;
    const token = await client.token(organizationId);
    const tenants = await client.gql<{
      viewer: { organization: { partnerTenants: Array<{ id: string; tenantId: string }> } };
    }>('{ viewer { organization { partnerTenants { id tenantId } } } }', { token });
    const byTenant = new Map(
      (tenants.body.data?.viewer.organization.partnerTenants ?? []).map((t) => [t.tenantId, t.id]),
    );
    const target = byTenant.get(partners.find((p) => p.labels.includes('central'))!.tenantId)!;
    const sources = partners
      .filter((p) => p.labels.includes('regional') && p.organizationId === organizationId)
      .map((p) => byTenant.get(p.tenantId)!);
    const planned = await client.gql<{
      planTenantConsolidation: { userErrors: unknown[]; workflow: { id: string } | null };
    }>(PLAN_CONSOLIDATION, {
      token,
      variables: { input: { sourcePartnerTenantIds: sources, targetPartnerTenantId: target } },
    });
    const id = planned.body.data?.planTenantConsolidation.workflow?.id;
    if (!id) {
      throw new Error(`plan failed: ${JSON.stringify(planned.body)}`);
    }
    const statusOf = async () =>
      (
        await client.gql<{
          node: { status: string; progress: { completed: number; total: number } };
        }>(
          'query($id: ID!) { node(id: $id) { ... on Workflow { status progress { completed total } } } }',
          { token, variables: { id } },
        )
      ).body.data?.node;
    const callsBefore = emulator.control.requests({}).length;
    const started = performance.now();
    await client.gql(
      'mutation($id: ID!) { startWorkflow(input: { id: $id }) { userErrors { code } } }',
      {
        token,
        variables: { id },
      },
    );
    let node = await statusOf();
    let steps = 0;
    let busyMs = 0;
    while (node && !['COMPLETED', 'FAILED'].includes(node.status) && steps < 200) {
      const t0 = performance.now();
      await quiet(emulator);
      busyMs += performance.now() - t0 - 300;
      node = await statusOf();
      if (node && ['COMPLETED', 'FAILED'].includes(node.status)) {
        break;
      }
      await emulator.clock.advance('PT6H');
      steps++;
    }
    const wallMs = performance.now() - started;
    const calls = emulator.control.requests({}).length - callsBefore;
    return {
      replicas: replicaCount,
      status: node?.status,
      items: node?.progress.total ?? 0,
      clockSteps: steps,
      wallSeconds: +(wallMs / 1000).toFixed(1),
      busySeconds: +(busyMs / 1000).toFixed(1),
      partnerCenterCalls: calls,
      callsPerBusySecond: +(calls / (busyMs / 1000)).toFixed(1),
      itemsPerBusySecond: +((node?.progress.completed ?? 0) / (busyMs / 1000)).toFixed(1),
    };
  } finally {
    await Promise.all(replicas.map((r) => r.stop()));
    await server.close();
    await database.drop();
  }
}

const results = [];
for (const n of [1, 2, 3]) {
  const result = await run(n);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  results.push(result);
}
process.stdout.write(
  `\nlarge:${customers}, ${latencyMs} ms per Partner Center call, WORKFLOW_CONCURRENCY=${concurrency} per replica\n`,
);
console.table(results);
