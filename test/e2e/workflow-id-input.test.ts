import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from 'partner-center-emulator';
import { encodeId } from '../../server/shared/ids.js';
import { clockFrom } from '../../server/shared/clock.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { type WorkflowPayloadResult } from '../support/operations.js';
import {
  ADMINS,
  SIGN,
  demoTransfer,
  planTransfer,
  transferState,
  type DemoTransfer,
} from '../support/transfer.js';

// Issue 16 item 10: one name for a workflow id in inputs. `workflowId` everywhere (as the export
// inputs), the former `id` (WorkflowIdInput) and `transferId` (the transfer's inputs) accepted but
// deprecated; both given and different is a userError that changes nothing.

const PAYLOAD = 'userErrors { code message field } workflow { id status }';

describe('workflowId in every input that names a workflow', () => {
  let emulator: Emulator;
  let t: TestApp;
  let token: string;
  let demo: DemoTransfer;

  beforeAll(async () => {
    emulator = createEmulator({ scenario: 'demo', seed: 7 });
    t = await startTestApp({
      emulator,
      clock: clockFrom(emulator.clock),
      env: { WORKFLOW_RUNNER: 'off' },
    });
    demo = await demoTransfer(emulator);
    token = await t.token(demo.organizationId);
  });

  afterAll(async () => {
    await t.close();
  });

  const plan = async (key: string) => {
    const planned = await planTransfer(t, token, {
      subscriptionId: demo.subscriptionGid,
      newPartnerTenantId: demo.target.tenantId,
      newPartnerMpnId: demo.target.mpnId,
      customerRequestReceivedAt: '2026-01-02T10:00:00Z',
      partnerAdmins: ADMINS,
      idempotencyKey: key,
    });
    expect(planned.userErrors).toEqual([]);
    return planned.workflow!.id;
  };

  const mutate = async (mutation: string, input: Record<string, unknown>) => {
    const res = await t.gql<Record<string, WorkflowPayloadResult>>(
      `mutation($input: WorkflowIdInput!) { ${mutation}(input: $input) { ${PAYLOAD} } }`,
      { token, variables: { input } },
    );
    expect(res.body.errors).toBeUndefined();
    return res.body.data![mutation]!;
  };

  it('documents workflowId and marks the former names deprecated', async () => {
    const res = await t.gql<{
      types: Array<{ name: string; inputFields: Array<{ name: string; isDeprecated: boolean }> }>;
    }>(
      `{ types: __schema { types { name inputFields(includeDeprecated: true) { name isDeprecated } } } }`,
      { token },
    );
    const types = (res.body.data as unknown as { types: { types: never[] } }).types.types as Array<{
      name: string;
      inputFields: Array<{ name: string; isDeprecated: boolean }> | null;
    }>;
    const fields = (name: string) =>
      Object.fromEntries(
        (types.find((x) => x.name === name)?.inputFields ?? []).map((f) => [
          f.name,
          f.isDeprecated,
        ]),
      );
    expect(fields('WorkflowIdInput')).toEqual({ workflowId: false, id: true });
    for (const name of [
      'SignTransferFormInput',
      'ReissueSigningLinkInput',
      'ConfirmTransferCleanupInput',
    ]) {
      expect(fields(name), name).toMatchObject({ workflowId: false, transferId: true });
    }
    expect(fields('ExportConsolidationInventoryInput')).toMatchObject({ workflowId: false });
  });

  it('refuses two different ids and no id, changing nothing', async () => {
    const a = await plan('wid-a');
    const b = encodeId('SubscriptionTransfer', '00000000-0000-4000-8000-000000000000');
    const conflict = await mutate('startWorkflow', { workflowId: a, id: b });
    expect(conflict).toEqual({
      workflow: null,
      userErrors: [
        expect.objectContaining({
          code: 'CONFLICTING_WORKFLOW_IDS',
          field: ['input', 'workflowId'],
        }),
      ],
    });
    expect((await transferState(t, token, a)).status).toBe('DRAFT');
    const none = await mutate('cancelWorkflow', {});
    expect(none.userErrors).toEqual([
      expect.objectContaining({ code: 'REQUIRED', field: ['input', 'workflowId'] }),
    ]);
    // The same id under both names is one workflow, not a conflict.
    const same = await mutate('cancelWorkflow', { workflowId: a, id: a });
    expect(same).toMatchObject({ userErrors: [], workflow: { id: a, status: 'CANCELED' } });
  });

  it('names the field the caller used in a refusal', async () => {
    const unknown = encodeId('SubscriptionTransfer', '00000000-0000-4000-8000-000000000001');
    expect((await mutate('startWorkflow', { workflowId: unknown })).userErrors).toEqual([
      expect.objectContaining({ code: 'NOT_FOUND', field: ['input', 'workflowId'] }),
    ]);
    expect((await mutate('startWorkflow', { id: unknown })).userErrors).toEqual([
      expect.objectContaining({ code: 'NOT_FOUND', field: ['input', 'id'] }),
    ]);
    // A service refusal that names the workflow field (here: retry of a draft) follows the caller.
    const c = await plan('wid-c');
    const retried = await mutate('retryWorkflow', { workflowId: c });
    expect(retried.workflow).toBeNull();
    for (const e of retried.userErrors) {
      expect(e.field?.[1] ?? 'workflowId').not.toBe('id');
    }
    expect((await mutate('cancelWorkflow', { workflowId: c })).userErrors).toEqual([]);
  });

  it('runs the generic and the transfer mutations with workflowId or the deprecated names', async () => {
    const id = await plan('wid-d');
    const signed = await t.gql<{
      signTransferForm: { userErrors: unknown[]; workflow: { id: string } | null };
    }>(SIGN, {
      token,
      variables: {
        input: {
          workflowId: id,
          party: 'CURRENT_PARTNER',
          signerName: 'Aoife Byrne',
          signerEmail: 'aoife.byrne@contoso.example',
        },
      },
    });
    expect(signed.body.data?.signTransferForm).toEqual({ userErrors: [], workflow: { id } });
    const again = await t.gql<{
      signTransferForm: { userErrors: Array<{ code: string; field: string[] }> };
    }>(SIGN, {
      token,
      variables: {
        input: {
          workflowId: id,
          transferId: encodeId('SubscriptionTransfer', '00000000-0000-4000-8000-000000000002'),
          party: 'CURRENT_PARTNER',
          signerName: 'Aoife Byrne',
          signerEmail: 'aoife.byrne@contoso.example',
        },
      },
    });
    expect(again.body.data?.signTransferForm.userErrors).toEqual([
      expect.objectContaining({ code: 'CONFLICTING_WORKFLOW_IDS', field: ['input', 'workflowId'] }),
    ]);
    const REISSUE = `mutation($input: ReissueSigningLinkInput!) { reissueSigningLink(input: $input) { userErrors { code field } signingLink { party } } }`;
    const reissued = await t.gql<{
      reissueSigningLink: { userErrors: unknown[]; signingLink: { party: string } | null };
    }>(REISSUE, { token, variables: { input: { workflowId: id, party: 'CUSTOMER' } } });
    expect(reissued.body.data?.reissueSigningLink).toEqual({
      userErrors: [],
      signingLink: { party: 'CUSTOMER' },
    });
    const legacy = await t.gql<{
      reissueSigningLink: { userErrors: unknown[]; signingLink: { party: string } | null };
    }>(REISSUE, { token, variables: { input: { transferId: id, party: 'NEW_PARTNER' } } });
    expect(legacy.body.data?.reissueSigningLink.userErrors).toEqual([]);
    const CLEANUP = `mutation($input: ConfirmTransferCleanupInput!) { confirmTransferCleanup(input: $input) { userErrors { code field } } }`;
    const notWaiting = await t.gql<{
      confirmTransferCleanup: { userErrors: Array<{ code: string; field: string[] }> };
    }>(CLEANUP, { token, variables: { input: { workflowId: id } } });
    expect(notWaiting.body.data?.confirmTransferCleanup.userErrors).toEqual([
      { code: 'NOT_WAITING_FOR_CLEANUP', field: ['input', 'workflowId'] },
    ]);
    const started = await mutate('startWorkflow', { workflowId: id });
    expect(started).toMatchObject({ userErrors: [], workflow: { id } });
    expect(started.workflow?.status).not.toBe('DRAFT');
    const canceled = await mutate('cancelWorkflow', { id });
    expect(canceled).toMatchObject({ userErrors: [], workflow: { id, status: 'CANCELED' } });
  });
});
