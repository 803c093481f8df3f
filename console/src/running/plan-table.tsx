import { Fragment, useEffect, useState } from 'react';
import { request } from '../api/client';
import { ConsolidationItemsQuery } from '../api/workflow-operations';
import { useSession } from '../auth/session';
import type { ConsoleConsolidationItemsQuery } from '../gql/graphql';
import { customerStateKey, lineStateKey, mappingStateKey } from '../i18n/dictionary';
import { useI18n, type I18n } from '../i18n/i18n';
import { ErrorMessage, saveText, toCsv } from '../ui/components';
import { type LiveWorkflow } from './live-workflow';

type Blocker = LiveWorkflow['blockers'][number];

/** One item of the plan: its cells, and the blockers (rule and message) that concern it. */
interface PlanRow {
  key: string;
  cells: Array<string | number>;
  blockers: Blocker[];
}

/** Items grouped by customer (one group for a single-customer procedure). */
interface PlanGroup {
  key: string;
  title: string;
  state: string;
  blockers: Blocker[];
  rows: PlanRow[];
}

type ConsolidationCustomerRow = NonNullable<
  Extract<ConsoleConsolidationItemsQuery['node'], { customers: unknown }>
>['customers']['edges'][number]['node'];

const byCustomer = (blockers: readonly Blocker[], tenantId: string) =>
  blockers.filter((b) => b.customer?.tenantId === tenantId);

const bySubject = (blockers: readonly Blocker[], ...subjects: Array<string | null | undefined>) =>
  blockers.filter(
    (b) => b.subject !== null && b.subject !== undefined && subjects.includes(b.subject),
  );

function useConsolidationItems(workflow: LiveWorkflow, refresh: number) {
  const { token } = useSession();
  const [customers, setCustomers] = useState<ConsolidationCustomerRow[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const isConsolidation = workflow.__typename === 'TenantConsolidation';
  // Items are re-read when the status changes, not at each event (they read Partner Center).
  const status = workflow.status;
  useEffect(() => {
    if (!isConsolidation) {
      return;
    }
    let live = true;
    void (async () => {
      try {
        const all: ConsolidationCustomerRow[] = [];
        let after: string | null = null;
        for (let page = 0; page < 50; page++) {
          const data: ConsoleConsolidationItemsQuery = await request(
            token,
            ConsolidationItemsQuery,
            {
              id: workflow.id,
              after,
            },
          );
          const node = data.node;
          if (!node || !('customers' in node)) {
            break;
          }
          all.push(...node.customers.edges.map((e) => e.node));
          if (!node.customers.pageInfo.hasNextPage) {
            break;
          }
          after = node.customers.pageInfo.endCursor ?? null;
        }
        if (live) {
          setCustomers(all);
        }
      } catch (e) {
        if (live) {
          setError(e);
        }
      }
    })();
    return () => {
      live = false;
    };
  }, [token, workflow.id, isConsolidation, status, refresh]);
  return { customers, error };
}

function headerOf(workflow: LiveWorkflow, t: I18n['t']): string[] {
  switch (workflow.__typename) {
    case 'TenantConsolidation':
      return [
        t('col.sourceTenant'),
        t('col.path'),
        t('col.offer'),
        t('col.subject'),
        t('col.seats'),
        t('col.status'),
        t('col.detail'),
      ];
    case 'ChannelMove':
      return [
        t('col.line'),
        t('col.offer'),
        t('col.target'),
        t('col.seats'),
        t('col.action'),
        t('col.cutover'),
        t('col.state'),
        t('col.detail'),
      ];
    case 'AzurePlanTransition':
      return [
        t('col.subscription'),
        t('col.azureSubscription'),
        t('col.offer'),
        t('col.reseller'),
        t('col.state'),
        t('col.plan'),
        t('col.detail'),
      ];
    case 'SubscriptionTransfer':
      return [
        t('col.subscription'),
        t('col.offer'),
        t('col.seats'),
        t('col.path'),
        t('col.state'),
        t('col.detail'),
      ];
    default:
      return [];
  }
}

function groupsOf(
  workflow: LiveWorkflow,
  consolidationCustomers: readonly ConsolidationCustomerRow[] | null,
  i18n: I18n,
): PlanGroup[] {
  const { t, dateTime } = i18n;
  const blockers = workflow.blockers;
  switch (workflow.__typename) {
    case 'TenantConsolidation':
      return (consolidationCustomers ?? []).map((c) => {
        const own = byCustomer(blockers, c.customer.tenantId);
        return {
          key: c.customer.id,
          title: c.customer.companyName,
          state: t(customerStateKey(c.state)),
          blockers: own.filter((b) => !b.subject),
          rows: c.items.map((item) => ({
            key: item.source.subscriptionId,
            cells: [
              c.customer.partnerTenant.name,
              t(`path.${item.kind}`),
              item.source.offerName,
              item.source.subscriptionId,
              item.seats,
              item.status,
              item.detail ?? '',
            ],
            blockers: bySubject(own, item.source.subscriptionId, item.source.offerId),
          })),
        };
      });
    case 'ChannelMove':
      return [
        {
          key: workflow.id,
          title: workflow.customer.companyName,
          state: workflow.relationshipAccepted ? '✓' : '',
          blockers: blockers.filter((b) => !b.subject),
          rows: workflow.licenseLines.map((line) => ({
            key: line.subject,
            cells: [
              line.lineNumber,
              line.sourceOfferName ?? line.sourceOfferId,
              `${line.targetOfferName ?? line.targetOfferId ?? '—'}${line.equivalentOffer ? ' (R-CHN-6)' : ''}`,
              line.seats,
              line.recommendedAction,
              dateTime(line.cutoverAt),
              t(lineStateKey(line.state)),
              [line.detail, ...line.warnings].filter(Boolean).join(' · '),
            ],
            blockers: bySubject(blockers, line.subject),
          })),
        },
      ];
    case 'AzurePlanTransition':
      return [
        {
          key: workflow.id,
          title: workflow.customer.companyName,
          state: workflow.status,
          blockers: blockers.filter((b) => !b.subject),
          rows:
            workflow.mappingLines.length > 0
              ? workflow.mappingLines.map((line) => ({
                  key: line.commerceSubscriptionId,
                  cells: [
                    line.commerceSubscriptionId,
                    line.azureSubscriptionId,
                    line.friendlyName ?? '',
                    line.resellerMpnId ?? '',
                    t(mappingStateKey(line.state)),
                    line.planSubscriptionId ?? '',
                    [line.errorCode, line.detail].filter(Boolean).join(' '),
                  ],
                  blockers: bySubject(
                    blockers,
                    line.commerceSubscriptionId,
                    line.azureSubscriptionId,
                  ),
                }))
              : // A draft lists the plan's entitlements before its per-line tracking exists.
                workflow.plans.flatMap((plan) =>
                  plan.mapped.map((m) => ({
                    key: m.commerceSubscriptionId,
                    cells: [
                      m.commerceSubscriptionId,
                      m.azureSubscriptionId,
                      '',
                      plan.resellerMpnId ?? '',
                      t(mappingStateKey('PLANNED')),
                      plan.planSubscriptionId ?? '',
                      m.status,
                    ],
                    blockers: bySubject(blockers, m.commerceSubscriptionId, m.azureSubscriptionId),
                  })),
                ),
        },
      ];
    case 'SubscriptionTransfer':
      return [
        {
          key: workflow.id,
          title: workflow.customer.companyName,
          state: workflow.state,
          blockers: blockers.filter((b) => !b.subject),
          rows: [
            {
              key: workflow.subscription.subscriptionId,
              cells: [
                workflow.subscription.subscriptionId,
                workflow.subscription.offerName,
                workflow.subscription.quantity,
                `→ ${workflow.newPartnerTenantId}`,
                workflow.state,
                workflow.waitingReason ?? '',
              ],
              blockers: blockers.filter((b) => b.subject),
            },
          ],
        },
      ];
    default:
      return [];
  }
}

const blockerText = (b: Blocker) => `${b.code}: ${b.message}`;

/** The dry-run result (and, later, each item's state): per customer and item, exportable. */
export function PlanTable(props: { workflow: LiveWorkflow }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [refresh, setRefresh] = useState(0);
  const { customers, error } = useConsolidationItems(props.workflow, refresh);
  const header = headerOf(props.workflow, t);
  const groups = groupsOf(props.workflow, customers, i18n);
  const loading = props.workflow.__typename === 'TenantConsolidation' && customers === null;

  const exportCsv = () => {
    const rows = [
      [t('col.customer'), t('col.state'), ...header, t('col.blockers')],
      ...groups.flatMap((g) =>
        (g.rows.length > 0
          ? g.rows
          : [{ key: g.key, cells: header.map(() => ''), blockers: [] }]
        ).map((row) => [
          g.title,
          g.state,
          ...row.cells,
          [...g.blockers, ...row.blockers].map(blockerText).join('; '),
        ]),
      ),
    ];
    saveText(toCsv(rows), `plan-${props.workflow.kind.toLowerCase()}.csv`);
  };

  return (
    <section className="card" aria-labelledby="plan-table-title">
      <div className="section-head">
        <h2 id="plan-table-title">{t('wf.dryRun')}</h2>
        <span className="row">
          {props.workflow.__typename === 'TenantConsolidation' ? (
            <button type="button" className="button" onClick={() => setRefresh((n) => n + 1)}>
              {t('common.refresh')}
            </button>
          ) : null}
          <button type="button" className="button" onClick={exportCsv} disabled={loading}>
            {t('wf.exportTable')}
          </button>
        </span>
      </div>
      <ErrorMessage error={error} />
      {loading ? <p role="status">{t('common.loading')}</p> : null}
      <div className="table-wrap">
        <table className="plan" data-testid="plan-table">
          <thead>
            <tr>
              {header.map((h) => (
                <th key={h} scope="col">
                  {h}
                </th>
              ))}
              <th scope="col">{t('col.blockers')}</th>
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => (
              <Fragment key={g.key}>
                <tr className="group">
                  <th scope="rowgroup" colSpan={header.length + 1}>
                    {g.title} <span className="muted">· {g.state}</span>
                    {g.blockers.length > 0 ? <BlockerList blockers={g.blockers} /> : null}
                  </th>
                </tr>
                {g.rows.map((row) => (
                  <tr key={row.key} className={row.blockers.length > 0 ? 'blocked' : ''}>
                    {row.cells.map((cell, i) => (
                      <td key={i} className={typeof cell === 'number' ? 'num' : ''}>
                        {cell}
                      </td>
                    ))}
                    <td>
                      <BlockerList blockers={row.blockers} />
                    </td>
                  </tr>
                ))}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function BlockerList(props: { blockers: readonly Blocker[] }) {
  if (props.blockers.length === 0) {
    return null;
  }
  return (
    <ul className="blockers-inline">
      {props.blockers.map((b, i) => (
        <li key={i}>
          <code className="rule">{b.code}</code> {b.message}
        </li>
      ))}
    </ul>
  );
}
