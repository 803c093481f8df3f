import { useState } from 'react';
import { request } from '../api/client';
import {
  CancelWorkflowMutation,
  ConfirmNewPartnerAgreementMutation,
  ConfirmTransferCleanupMutation,
  ReissueSigningLinkMutation,
  RetryWorkflowMutation,
  SignTransferFormMutation,
} from '../api/operations';
import { useSession, type Session } from '../auth/session';
import type { TransferParty } from '../gql/graphql';
import { type MessageKey } from '../i18n/dictionary';
import { useI18n } from '../i18n/i18n';
import { ActionButton, UserErrors, type UserErrorView } from '../ui/components';
import { FINAL_STATUSES } from '../workflows/workflow-labels';
import { type LiveWorkflow } from './live-workflow';

/** A field an action asks for before it runs (e.g. the signer's name). */
interface ActionField {
  name: string;
  label: MessageKey;
  type: 'text' | 'email';
}

/**
 * One thing the API lets an operator do to a workflow or to one blocker. Every entry of ACTIONS
 * is rendered where it applies, disabled with its reason when the roles (R-CON-10) or the state
 * do not allow it. A new mutation (issue 16's reinviteCustomer, excludeFromWorkflow: scope
 * 'blocker') is one more entry here.
 */
export interface WorkflowAction {
  id: string;
  scope: 'workflow' | 'blocker';
  label(t: (key: MessageKey, params?: Record<string, string>) => string): string;
  /** Shown at all for this workflow (and blocker). */
  appliesTo(workflow: LiveWorkflow, blocker?: LiveWorkflow['blockers'][number]): boolean;
  /** Why it cannot run now (besides roles); null when it can. */
  unavailable(workflow: LiveWorkflow): MessageKey | null;
  fields?: readonly ActionField[];
  perform(
    session: Session,
    workflow: LiveWorkflow,
    values: Record<string, string>,
    blocker?: LiveWorkflow['blockers'][number],
  ): Promise<readonly UserErrorView[]>;
}

const hasFailedItems = (w: LiveWorkflow): boolean => {
  switch (w.__typename) {
    case 'ChannelMove':
      return w.licenseLines.some((l) => l.state === 'FAILED');
    case 'AzurePlanTransition':
      return w.mappingLines.some((l) => l.state === 'FAILED');
    default:
      return false;
  }
};

const reissue = (party: TransferParty): WorkflowAction => ({
  id: `reissue-${party}`,
  scope: 'workflow',
  label: (t) => t('action.reissueLink', { party: t(`party.${party}`) }),
  appliesTo: (w) => w.__typename === 'SubscriptionTransfer' && w.direction === 'OUTGOING',
  unavailable: (w) =>
    w.__typename === 'SubscriptionTransfer' &&
    !w.form.attachedAt &&
    !w.form.signatures.some((s) => s.party === party) &&
    !FINAL_STATUSES.includes(w.status)
      ? null
      : 'action.notFinal',
  perform: async (session, w) => {
    const data = await request(session.token, ReissueSigningLinkMutation, {
      id: w.id,
      party,
    });
    return data.reissueSigningLink.userErrors;
  },
});

export const ACTIONS: readonly WorkflowAction[] = [
  {
    id: 'retry',
    scope: 'workflow',
    label: (t) => t('action.retry'),
    appliesTo: () => true,
    unavailable: (w) => (w.status === 'FAILED' || hasFailedItems(w) ? null : 'action.onlyFailed'),
    perform: async (session, w) =>
      (await request(session.token, RetryWorkflowMutation, { id: w.id })).retryWorkflow.userErrors,
  },
  {
    id: 'cancel',
    scope: 'workflow',
    label: (t) => t('action.cancel'),
    appliesTo: () => true,
    unavailable: (w) => (FINAL_STATUSES.includes(w.status) ? 'action.notFinal' : null),
    perform: async (session, w) =>
      (await request(session.token, CancelWorkflowMutation, { id: w.id })).cancelWorkflow
        .userErrors,
  },
  {
    id: 'confirm-cleanup',
    scope: 'workflow',
    label: (t) => t('action.confirmCleanup'),
    appliesTo: (w) => w.__typename === 'SubscriptionTransfer' && w.direction === 'OUTGOING',
    unavailable: (w) =>
      w.__typename === 'SubscriptionTransfer' && w.state === 'CLEANUP_MANUAL'
        ? null
        : 'action.onlyCleanup',
    perform: async (session, w) =>
      (await request(session.token, ConfirmTransferCleanupMutation, { id: w.id }))
        .confirmTransferCleanup.userErrors,
  },
  {
    // R-TRF-5: the customer's agreement at the new partner: confirmed (not served here) or read
    // again in Partner Center (served here); only a draft carries these blockers.
    id: 'confirm-agreement',
    scope: 'blocker',
    label: (t) => t('action.confirmAgreement'),
    appliesTo: (w, b) =>
      w.__typename === 'SubscriptionTransfer' &&
      (b?.code === 'NEW_PARTNER_AGREEMENT_UNCONFIRMED' ||
        b?.code === 'NEW_PARTNER_NO_CUSTOMER_AGREEMENT'),
    unavailable: (w) => (w.status === 'DRAFT' ? null : 'action.onlyDraft'),
    perform: async (session, w) =>
      (await request(session.token, ConfirmNewPartnerAgreementMutation, { id: w.id }))
        .updateTransferNewPartner.userErrors,
  },
  reissue('CUSTOMER'),
  reissue('NEW_PARTNER'),
  {
    id: 'sign-current-partner',
    scope: 'workflow',
    label: (t) => t('action.sign'),
    appliesTo: (w) => w.__typename === 'SubscriptionTransfer' && w.direction === 'OUTGOING',
    unavailable: (w) =>
      w.__typename === 'SubscriptionTransfer' &&
      !w.form.signatures.some((s) => s.party === 'CURRENT_PARTNER') &&
      !FINAL_STATUSES.includes(w.status)
        ? null
        : 'action.notFinal',
    fields: [
      { name: 'signerName', label: 'plan.name', type: 'text' },
      { name: 'signerEmail', label: 'plan.email', type: 'email' },
    ],
    perform: async (session, w, values) =>
      (
        await request(session.token, SignTransferFormMutation, {
          input: {
            workflowId: w.id,
            party: 'CURRENT_PARTNER',
            signerName: values.signerName ?? '',
            signerEmail: values.signerEmail ?? '',
          },
        })
      ).signTransferForm.userErrors,
  },
];

/** The disabled reason for an action, roles first (R-CON-10). */
export function useActionReason() {
  const { t } = useI18n();
  const session = useSession();
  return (action: WorkflowAction, workflow: LiveWorkflow): string | null => {
    if (!session.canOperate) {
      return t('perm.operator', { roles: session.viewer.roles.join(', ') || '—' });
    }
    const reason = action.unavailable(workflow);
    return reason ? t(reason) : null;
  };
}

export function ActionControl(props: {
  action: WorkflowAction;
  workflow: LiveWorkflow;
  blocker?: LiveWorkflow['blockers'][number];
  onDone(): void;
}) {
  const { t } = useI18n();
  const session = useSession();
  const reasonOf = useActionReason();
  const { action, workflow } = props;
  const [values, setValues] = useState<Record<string, string>>({});
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [userErrors, setUserErrors] = useState<readonly UserErrorView[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const reason = reasonOf(action, workflow);
  const label = action.label(t);

  const run = async () => {
    setBusy(true);
    setMessage(null);
    setUserErrors([]);
    try {
      const errors = await action.perform(session, workflow, values, props.blocker);
      setUserErrors(errors);
      if (errors.length === 0) {
        setMessage(t('wf.actionDone', { action: label }));
        setOpen(false);
        props.onDone();
      }
    } catch (e) {
      setMessage(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="action-control" data-action={action.id}>
      <ActionButton
        disabledReason={reason}
        disabled={busy}
        onClick={() => (action.fields && !open ? setOpen(true) : void run())}
      >
        {label}
      </ActionButton>
      {open && action.fields ? (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void run();
          }}
        >
          {action.fields.map((field) => (
            <label key={field.name}>
              {t(field.label)}
              <input
                type={field.type}
                required
                value={values[field.name] ?? ''}
                onChange={(e) => setValues((v) => ({ ...v, [field.name]: e.target.value }))}
              />
            </label>
          ))}
          <button type="submit" className="button primary" disabled={busy}>
            {label}
          </button>
          <button type="button" className="button" onClick={() => setOpen(false)}>
            {t('common.cancel')}
          </button>
        </form>
      ) : null}
      <UserErrors errors={userErrors} title={label} />
      {message ? (
        <p className="muted" role="status">
          {message}
        </p>
      ) : null}
    </div>
  );
}
