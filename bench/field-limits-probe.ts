// Issue 17 item 4: what a document of repeated fields costs the API, and what it does to other
// callers. Run against a running API:
//   tsc -p bench/tsconfig.json && GRAPHQL_URL=http://127.0.0.1:4000/graphql TOKEN=… \
//     node dist/bench/field-limits-probe.js
// Every request is a new text (a trailing comment), so Apollo's parsed-document cache never helps.

let n = 0;
const repeated = () => `{ ${'viewer { userId } '.repeat(400)}} # ${process.pid}-${n++}`;

interface Answer {
  ms: number;
  status: number;
  code: string | null;
  cost: number | null;
}

async function post(url: string, token: string, query: string): Promise<Answer> {
  const started = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  const body = (await res.json()) as {
    errors?: Array<{ extensions?: { code?: string } }>;
    extensions?: { cost?: { requested?: number } };
  };
  return {
    ms: performance.now() - started,
    status: res.status,
    code: body.errors?.[0]?.extensions?.code ?? null,
    cost: body.extensions?.cost?.requested ?? null,
  };
}

const round = (x: number): number => Math.round(x * 10) / 10;

/** Sequential latency of the repeated document, then 40 at once with `{ __typename }` probes. */
export async function probeFieldLimits(url: string, token: string, parallel = 40) {
  for (let i = 0; i < 3; i++) {
    await post(url, token, '{ __typename }');
    await post(url, token, repeated());
  }
  const alone: number[] = [];
  for (let i = 0; i < 5; i++) {
    alone.push((await post(url, token, '{ __typename }')).ms);
  }
  const sequential: Answer[] = [];
  for (let i = 0; i < 5; i++) {
    sequential.push(await post(url, token, repeated()));
  }
  const flood = Array.from({ length: parallel }, () => post(url, token, repeated()));
  const probes: Array<Promise<Answer>> = [];
  for (const delay of [0, 25, 50, 100, 200]) {
    await new Promise((resolve) => setTimeout(resolve, delay));
    probes.push(post(url, token, '{ __typename }'));
  }
  const [floodResults, probeResults] = await Promise.all([Promise.all(flood), Promise.all(probes)]);
  return {
    typenameAloneMedianMs: round(alone.sort((a, b) => a - b)[2] ?? 0),
    repeated: {
      medianMs: round(sequential.map((r) => r.ms).sort((a, b) => a - b)[2] ?? 0),
      status: sequential[0]?.status,
      code: sequential[0]?.code,
      cost: sequential[0]?.cost,
    },
    [`parallel${parallel}`]: {
      wallMs: round(Math.max(...floodResults.map((r) => r.ms))),
      statuses: [...new Set(floodResults.map((r) => `${r.status} ${r.code ?? ''}`.trim()))],
      typenameDuringMaxMs: round(Math.max(...probeResults.map((r) => r.ms))),
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.env.GRAPHQL_URL ?? 'http://127.0.0.1:4000/graphql';
  const token = process.env.TOKEN;
  if (!token) {
    console.error('Set TOKEN to a bearer token (npm run token).');
    process.exit(2);
  }
  console.log(JSON.stringify(await probeFieldLimits(url, token), null, 2));
}
