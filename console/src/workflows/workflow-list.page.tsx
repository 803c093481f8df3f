import { useCallback, useEffect, useState } from 'react';
import { request } from '../api/client';
import { WorkflowsQuery } from '../api/operations';
import { useSession } from '../auth/session';
import type { ConsoleWorkflowsQuery, WorkflowKind, WorkflowStatus } from '../gql/graphql';
import { kindKey, statusKey } from '../i18n/dictionary';
import { useI18n } from '../i18n/i18n';
import { Badge, ErrorMessage, Link, ProgressBar } from '../ui/components';
import { subjectOf, WORKFLOW_KINDS, WORKFLOW_STATUSES } from './workflow-labels';

const PAGE_SIZE = 20;

type Page = ConsoleWorkflowsQuery['workflows'];

export function WorkflowListPage() {
  const { t, dateTime } = useI18n();
  const { token, viewer } = useSession();
  const [kind, setKind] = useState<WorkflowKind | ''>('');
  const [status, setStatus] = useState<WorkflowStatus | ''>('');
  // Cursors of the pages seen so far: [undefined (first page), endCursor of page 1, …].
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const [page, setPage] = useState<Page | null>(null);
  const [error, setError] = useState<unknown>(null);
  const after = cursors[cursors.length - 1];

  const load = useCallback(async () => {
    try {
      setError(null);
      const data = await request(token, WorkflowsQuery, {
        first: PAGE_SIZE,
        after: after ?? null,
        kind: kind || null,
        status: status || null,
      });
      setPage(data.workflows);
    } catch (e) {
      setError(e);
    }
  }, [token, after, kind, status]);

  useEffect(() => {
    void load();
    // Statuses move in the background: refresh the list while it is on screen.
    const timer = setInterval(() => void load(), 10_000);
    return () => clearInterval(timer);
  }, [load]);

  const resetPaging = () => setCursors([undefined]);

  return (
    <>
      <section className="card org" aria-labelledby="org-title">
        <h2 id="org-title">{viewer.organization.name}</h2>
        <p className="muted">
          {t('app.roles')}: {viewer.roles.join(', ')}
        </p>
        <h3>{t('app.tenants')}</h3>
        <ul className="tenants">
          {viewer.organization.partnerTenants.map((tenant) => (
            <li key={tenant.id}>
              <strong>{tenant.name}</strong> · {tenant.country}
              {tenant.region ? ` · ${tenant.region}` : ''} · {tenant.kind} · MPN {tenant.mpnId}
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="list-title">
        <div className="section-head">
          <h1 id="list-title">{t('list.title')}</h1>
          <Link to="/plan" className="button primary">
            {t('app.nav.plan')}
          </Link>
        </div>
        <fieldset className="filters">
          <legend>{t('list.filters')}</legend>
          <label>
            {t('list.kind')}
            <select
              name="kind"
              value={kind}
              onChange={(e) => {
                setKind(e.target.value as WorkflowKind | '');
                resetPaging();
              }}
            >
              <option value="">{t('common.all')}</option>
              {WORKFLOW_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(kindKey(k))}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('list.status')}
            <select
              name="status"
              value={status}
              onChange={(e) => {
                setStatus(e.target.value as WorkflowStatus | '');
                resetPaging();
              }}
            >
              <option value="">{t('common.all')}</option>
              {WORKFLOW_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(statusKey(s))}
                </option>
              ))}
            </select>
          </label>
          {page ? (
            <span className="muted" aria-live="polite">
              {t('list.total', { count: page.totalCount })}
            </span>
          ) : null}
        </fieldset>
        <ErrorMessage error={error} />
        {page === null ? (
          <p role="status">{t('common.loading')}</p>
        ) : page.edges.length === 0 ? (
          <p>{t('list.empty')}</p>
        ) : (
          <div className="table-wrap">
            <table className="workflows">
              <thead>
                <tr>
                  <th scope="col">{t('list.kind')}</th>
                  <th scope="col">{t('list.subject')}</th>
                  <th scope="col">{t('list.status')}</th>
                  <th scope="col">{t('list.progress')}</th>
                  <th scope="col">{t('list.blockers')}</th>
                  <th scope="col">{t('list.updated')}</th>
                </tr>
              </thead>
              <tbody>
                {page.edges.map(({ node }) => (
                  <tr key={node.id} data-status={node.status}>
                    <td>
                      <Link to={`/workflows/${encodeURIComponent(node.id)}`}>
                        {t(kindKey(node.kind))}
                      </Link>
                    </td>
                    <td>{subjectOf(node)}</td>
                    <td>
                      <Badge tone={node.status}>{t(statusKey(node.status))}</Badge>
                    </td>
                    <td>
                      <ProgressBar
                        completed={node.progress.completed}
                        total={node.progress.total}
                        excluded={node.progress.excluded}
                        blocked={node.progress.blocked}
                      />
                    </td>
                    <td className="num">{node.blockers.length}</td>
                    <td>{dateTime(node.updatedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <nav className="pager" aria-label={t('common.page', { page: cursors.length })}>
          <button
            type="button"
            className="button"
            disabled={cursors.length <= 1}
            onClick={() => setCursors((c) => c.slice(0, -1))}
          >
            {t('common.previous')}
          </button>
          <span>{t('common.page', { page: cursors.length })}</span>
          <button
            type="button"
            className="button"
            disabled={!page?.pageInfo.hasNextPage}
            onClick={() => {
              const next = page?.pageInfo.endCursor;
              if (next) {
                setCursors((c) => [...c, next]);
              }
            }}
          >
            {t('common.next')}
          </button>
        </nav>
      </section>
    </>
  );
}
