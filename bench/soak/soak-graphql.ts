import { type TestApp } from '../../test/support/app.js';
import { type Started } from './soak.types.js';

// The soak's GraphQL reads: a workflow's status, whether all have ended, any typed query.

const TERMINAL = new Set(['COMPLETED', 'FAILED', 'CANCELED']);

export async function statusOf(t: TestApp, token: string, id: string): Promise<string> {
  const res = await t.gql<{ node: { status: string } | null }>(
    'query($id: ID!) { node(id: $id) { ... on Workflow { status } } }',
    { token, variables: { id } },
  );
  return res.body.data?.node?.status ?? 'UNKNOWN';
}

export async function allSettled(t: TestApp, workflows: Started[]): Promise<boolean> {
  for (const w of workflows) {
    if (!TERMINAL.has(await statusOf(t, w.token, w.id))) {
      return false;
    }
  }
  return true;
}

export async function gqlData<T>(
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
