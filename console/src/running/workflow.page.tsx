import type {
  AzureMappingState,
  ChannelMoveLineState,
  ConsolidationCustomerState,
} from '../gql/graphql';
import {
  customerStateKey,
  kindKey,
  lineStateKey,
  mappingStateKey,
  statusKey,
  type MessageKey,
} from '../i18n/dictionary';
import { useSession } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import { Badge, ErrorMessage, ProgressBar } from '../ui/components';
import { DemoClock } from '../ui/demo-clock';
import { subjectOf } from '../workflows/workflow-labels';
import { useAllCustomerStates } from './customer-states';
import { EventJournal } from './event-journal';
import { ExportsPanel } from './exports-panel';
import { useLiveWorkflow, type Consolidation, type LiveWorkflow } from './live-workflow';
import { PlanTable } from './plan-table';
import { AzurePlanPanel, ChannelMovePanel } from './procedure-panels';
import { ProgressChart } from './progress-chart';
import { StartControl } from './start-dialog';
import { countStates, StateBoard } from './state-board';
import { TransferPanel } from './transfer-panel';
import { ACTIONS, ActionControl } from './workflow-actions';

// Process order of each procedure's states (the board reads left to right).
const CUSTOMER_STATES = [
  'PLANNED',
  'INVITED',
  'ACCEPTED',
  'REPROVISIONED',
  'AZURE_MIGRATION_REQUESTED',
  'DONE',
  'BLOCKED',
] as const satisfies readonly ConsolidationCustomerState[];
const LINE_STATES = [
  'PLANNED',
  'SCHEDULED',
  'ORDERED',
  'DONE',
  'BLOCKED',
  'FAILED',
] as const satisfies readonly ChannelMoveLineState[];
const MAPPING_STATES = [
  'PLANNED',
  'UPGRADING',
  'VERIFYING',
  'MAPPED',
  'FAILED',
] as const satisfies readonly AzureMappingState[];
const TRANSFER_STATES = [
  'PLANNED',
  'TICKET_OPENED',
  'FORM_ATTACHED',
  'TRANSFERRED',
  'CLEANUP_MANUAL',
  'DONE',
] as const;

function ConsolidationBoard(props: { workflow: Consolidation }) {
  const { t } = useI18n();
  const w = props.workflow;
  const all = useAllCustomerStates(w);
  const states = all ?? w.customers.edges.map((e) => e.node.state);
  return (
    <StateBoard
      title={t('wf.board')}
      counts={countStates(CUSTOMER_STATES, states, (s) => t(customerStateKey(s)))}
      note={
        states.length < w.customers.totalCount
          ? t('wf.boardPartial', { loaded: states.length, total: w.customers.totalCount })
          : undefined
      }
    />
  );
}

function Board(props: { workflow: LiveWorkflow }) {
  const { t } = useI18n();
  const w = props.workflow;
  switch (w.__typename) {
    case 'TenantConsolidation':
      return <ConsolidationBoard workflow={w} />;
    case 'ChannelMove':
      return (
        <StateBoard
          title={t('wf.boardLines')}
          counts={countStates(
            LINE_STATES,
            w.licenseLines.map((l) => l.state),
            (s) => t(lineStateKey(s)),
          )}
        />
      );
    case 'AzurePlanTransition':
      return (
        <StateBoard
          title={t('wf.boardLines')}
          counts={countStates(
            MAPPING_STATES,
            w.mappingLines.map((l) => l.state),
            (s) => t(mappingStateKey(s)),
          )}
        />
      );
    case 'SubscriptionTransfer':
      return (
        <StateBoard
          title={t('wf.state')}
          counts={TRANSFER_STATES.map((state) => ({
            state,
            label: state,
            count: w.state === state ? 1 : 0,
          }))}
        />
      );
    default:
      return null;
  }
}

function ConsolidationCustomers(props: { workflow: Consolidation }) {
  const { t } = useI18n();
  return (
    <section className="card" aria-labelledby="customers-title">
      <h2 id="customers-title">
        {t('wf.customers')} ({props.workflow.customers.totalCount})
      </h2>
      <div className="table-wrap">
        <table data-testid="customers">
          <thead>
            <tr>
              <th scope="col">{t('col.customer')}</th>
              <th scope="col">{t('col.sourceTenant')}</th>
              <th scope="col">{t('col.state')}</th>
              <th scope="col">{t('wf.waiting')}</th>
              <th scope="col">{t('wf.invitation')}</th>
            </tr>
          </thead>
          <tbody>
            {props.workflow.customers.edges.map(({ node }) => (
              <tr key={node.customer.id} data-state={node.state}>
                <th scope="row">{node.customer.companyName}</th>
                <td>{node.customer.partnerTenant.name}</td>
                <td>
                  <Badge tone={node.state}>{t(customerStateKey(node.state))}</Badge>
                </td>
                <td>{node.waitingReason ?? ''}</td>
                <td>
                  {node.invitationUrl ? (
                    <a href={node.invitationUrl} target="_blank" rel="noreferrer">
                      {t('wf.invitation')}
                    </a>
                  ) : (
                    ''
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Blockers(props: { workflow: LiveWorkflow; onChanged(): void }) {
  const { t } = useI18n();
  const w = props.workflow;
  const blockerActions = ACTIONS.filter((a) => a.scope === 'blocker');
  return (
    <section className="card" aria-labelledby="blockers-title">
      <h2 id="blockers-title">
        {t('wf.blockers')} ({w.blockers.length})
      </h2>
      {w.blockers.length === 0 ? <p>{t('wf.noBlockers')}</p> : null}
      <ul className="blockers" data-testid="blockers">
        {w.blockers.map((b, i) => (
          <li key={i} data-code={b.code}>
            <code className="rule">{b.code}</code>{' '}
            {b.customer ? <strong>{b.customer.companyName}</strong> : null}
            {b.subject ? <span className="muted"> · {b.subject}</span> : null}
            {!b.customer && !b.subject ? (
              <Badge tone="FAILED">{t('wf.workflowBlocker')}</Badge>
            ) : null}
            <div>{b.message}</div>
            {blockerActions
              .filter((a) => a.appliesTo(w, b))
              .map((a) => (
                <ActionControl
                  key={a.id}
                  action={a}
                  workflow={w}
                  blocker={b}
                  onDone={props.onChanged}
                />
              ))}
          </li>
        ))}
      </ul>
    </section>
  );
}

const LIVE_LABEL: Record<string, MessageKey> = {
  live: 'wf.live',
  connecting: 'wf.connecting',
  reconnecting: 'wf.reconnecting',
  closed: 'wf.closed',
};

export function WorkflowPage(props: { id: string }) {
  const { t, dateTime } = useI18n();
  const session = useSession();
  const { workflow, error, live, samples, version, reload } = useLiveWorkflow(props.id);

  if (workflow === undefined) {
    return error ? <ErrorMessage error={error} /> : <p role="status">{t('common.loading')}</p>;
  }
  if (workflow === null) {
    return <p role="alert">{t('list.empty')}</p>;
  }
  const w = workflow;
  return (
    <article className="workflow" data-status={w.status} data-kind={w.kind}>
      <header className="section-head wf-head">
        <div>
          <h1>
            {t(kindKey(w.kind))}: {subjectOf(w)}
          </h1>
          <p className="muted">
            {t('wf.created', { at: dateTime(w.createdAt) })} ·{' '}
            {t('wf.updated', { at: dateTime(w.updatedAt) })}
            {w.completedAt ? ` · ${t('wf.completed', { at: dateTime(w.completedAt) })}` : ''}
          </p>
        </div>
        <div className="wf-status">
          <Badge tone={w.status}>
            <span data-testid="workflow-status">{t(statusKey(w.status))}</span>
          </Badge>
          <span className={`live live-${live}`} role="status" data-testid="live">
            {t(LIVE_LABEL[live] ?? 'wf.closed')}
          </span>
        </div>
      </header>
      <ErrorMessage error={error} />
      <ProgressBar completed={w.progress.completed} total={w.progress.total} />
      <section className="card actions" aria-labelledby="actions-title">
        <h2 id="actions-title">{t('wf.actions')}</h2>
        <div className="action-row">
          {w.status === 'DRAFT' ? (
            <StartControl workflow={w} onStarted={() => void reload()} />
          ) : null}
          {ACTIONS.filter((a) => a.scope === 'workflow' && a.appliesTo(w)).map((a) => (
            <ActionControl key={a.id} action={a} workflow={w} onDone={() => void reload()} />
          ))}
        </div>
        {session.demoClock && w.status !== 'DRAFT' ? <DemoClock refresh={w.updatedAt} /> : null}
      </section>
      <div className="grid-main">
        <Board workflow={w} />
        <section className="card" aria-labelledby="chart-title">
          <h2 id="chart-title">{t('wf.chart')}</h2>
          <ProgressChart samples={samples} />
          {w.__typename === 'TenantConsolidation' ? (
            <p data-testid="billing-overlap">
              <strong>{t('wf.billingOverlap')}: </strong>
              {t('wf.overlapValue', {
                items: w.billingOverlap.itemsWithOverlap,
                days: w.billingOverlap.maxOverlapDays,
              })}
              {w.billingOverlap.openOverlaps > 0 ? (
                <>
                  {' '}
                  <strong data-testid="open-overlaps">
                    {t('wf.openOverlaps', { open: w.billingOverlap.openOverlaps })}
                  </strong>
                </>
              ) : null}
            </p>
          ) : null}
          {w.__typename === 'AzurePlanTransition' && w.budget ? (
            <p>
              <strong>{t('wf.budget')}: </strong>
              {w.budget.amount} {w.budget.currency}
            </p>
          ) : null}
        </section>
      </div>
      <Blockers workflow={w} onChanged={() => void reload()} />
      {w.__typename === 'SubscriptionTransfer' ? <TransferPanel transfer={w} /> : null}
      {w.__typename === 'ChannelMove' ? <ChannelMovePanel workflow={w} /> : null}
      {w.__typename === 'AzurePlanTransition' ? <AzurePlanPanel workflow={w} /> : null}
      {w.__typename === 'TenantConsolidation' ? <ConsolidationCustomers workflow={w} /> : null}
      <PlanTable workflow={w} />
      <ExportsPanel workflow={w} />
      <EventJournal workflowId={w.id} version={version} />
    </article>
  );
}
