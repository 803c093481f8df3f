import { type TestApp } from './app.js';

/** A `userErrors` entry as every mutation payload returns it. */
export interface UserError {
  code: string;
  message: string;
  field?: string[] | null;
}

/** `WorkflowPayload` as the generic workflow mutations return it (the fields tests read). */
export interface WorkflowPayloadResult {
  userErrors: UserError[];
  workflow: { id: string; status: string } | null;
}

export type WorkflowMutation = 'startWorkflow' | 'cancelWorkflow' | 'retryWorkflow';

const PAYLOAD = 'userErrors { code message field } workflow { id status }';

/**
 * Runs one of the generic workflow mutations (`WorkflowIdInput`) and returns its typed payload.
 * GraphQL errors throw: a refusal the test expects is a `userError`, not a GraphQL error.
 */
export async function workflowMutation(
  t: Pick<TestApp, 'gql'>,
  mutation: WorkflowMutation,
  token: string,
  id: string,
): Promise<WorkflowPayloadResult> {
  const res = await t.gql<Record<WorkflowMutation, WorkflowPayloadResult>>(
    `mutation($id: ID!) { ${mutation}(input: { workflowId: $id }) { ${PAYLOAD} } }`,
    { token, variables: { id } },
  );
  const payload = res.body.data?.[mutation];
  if (res.body.errors || !payload) {
    throw new Error(`${mutation}: ${JSON.stringify(res.body.errors ?? res.body)}`);
  }
  return payload;
}

export const startWorkflow = (t: Pick<TestApp, 'gql'>, token: string, id: string) =>
  workflowMutation(t, 'startWorkflow', token, id);

export const cancelWorkflow = (t: Pick<TestApp, 'gql'>, token: string, id: string) =>
  workflowMutation(t, 'cancelWorkflow', token, id);

export const retryWorkflow = (t: Pick<TestApp, 'gql'>, token: string, id: string) =>
  workflowMutation(t, 'retryWorkflow', token, id);
