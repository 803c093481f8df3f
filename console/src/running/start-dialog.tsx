import { useEffect, useRef, useState } from 'react';
import { request } from '../api/client';
import { StartWorkflowMutation } from '../api/operations';
import { useSession } from '../auth/session';
import { kindKey } from '../i18n/dictionary';
import { useI18n } from '../i18n/i18n';
import { ActionButton, UserErrors, type UserErrorView } from '../ui/components';
import { type LiveWorkflow } from './live-workflow';

/** Items and customers that will move, and how many are excluded by blockers (for the dialog). */
function scopeOf(workflow: LiveWorkflow) {
  const blockedCustomers =
    workflow.__typename === 'TenantConsolidation'
      ? workflow.customers.edges.filter((e) => e.node.state === 'BLOCKED').length
      : 0;
  return {
    customers:
      workflow.__typename === 'TenantConsolidation'
        ? workflow.customers.totalCount - blockedCustomers
        : 1,
    items: workflow.progress.total,
    blocked: workflow.blockers.length,
  };
}

/**
 * Start, with a confirmation that says what becomes irreversible (R-CON-8); disabled with the
 * reason for roles that may not start (R-CON-10) and while workflow-level blockers remain.
 */
export function StartControl(props: { workflow: LiveWorkflow; onStarted(): void }) {
  const { t } = useI18n();
  const session = useSession();
  const dialog = useRef<HTMLDialogElement>(null);
  const [understood, setUnderstood] = useState(false);
  const [busy, setBusy] = useState(false);
  const [userErrors, setUserErrors] = useState<readonly UserErrorView[]>([]);
  const [error, setError] = useState<string | null>(null);
  const { workflow } = props;
  const workflowBlockers = workflow.blockers.filter((b) => !b.customer && !b.subject);
  const reason = !session.canOperate
    ? t('perm.operator', { roles: session.viewer.roles.join(', ') || '—' })
    : workflow.status !== 'DRAFT'
      ? t('action.onlyDraft')
      : workflowBlockers.length > 0
        ? t('action.workflowBlockers')
        : null;
  const scope = scopeOf(workflow);
  const kind = t(kindKey(workflow.kind));

  useEffect(() => {
    if (workflow.status !== 'DRAFT') {
      dialog.current?.close();
    }
  }, [workflow.status]);

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      const data = await request(session.token, StartWorkflowMutation, { id: workflow.id });
      setUserErrors(data.startWorkflow.userErrors);
      if (data.startWorkflow.userErrors.length === 0) {
        dialog.current?.close();
        props.onStarted();
      }
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <ActionButton
        className="button primary"
        data-action="start"
        disabledReason={reason}
        onClick={() => {
          setUnderstood(false);
          setUserErrors([]);
          dialog.current?.showModal();
        }}
      >
        {t('action.start')}
      </ActionButton>
      <dialog ref={dialog} aria-labelledby="start-title" className="dialog">
        <form
          method="dialog"
          onSubmit={(e) => {
            e.preventDefault();
            void start();
          }}
        >
          <h2 id="start-title">{t('start.title', { kind: kind.toLowerCase() })}</h2>
          <p>
            {workflow.__typename === 'TenantConsolidation'
              ? t('start.scope', {
                  customers: scope.customers,
                  items: scope.items,
                  blocked: scope.blocked,
                })
              : t('start.scopeLines', { items: scope.items, blocked: scope.blocked })}
          </p>
          <h3>{t('start.irreversible')}</h3>
          <p className="irreversible" data-testid="irreversible">
            {t(`start.irr.${workflow.kind}`)}
          </p>
          <label className="check">
            <input
              type="checkbox"
              name="understood"
              checked={understood}
              onChange={(e) => setUnderstood(e.target.checked)}
            />
            {t('start.understand')}
          </label>
          <UserErrors errors={userErrors} title={t('action.start')} />
          {error ? (
            <p className="error" role="alert">
              {error}
            </p>
          ) : null}
          <div className="row end">
            <button type="button" className="button" onClick={() => dialog.current?.close()}>
              {t('common.cancel')}
            </button>
            <button type="submit" className="button primary" disabled={!understood || busy}>
              {t('start.confirm')}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
