import { useEffect, useMemo, useState } from 'react';
import { request } from '../api/client';
import { WorkflowEventsQuery } from '../api/workflow-operations';
import { useSession } from '../auth/session';
import type { ConsoleWorkflowEventsQuery } from '../gql/graphql';
import { useI18n } from '../i18n/i18n';
import { ErrorMessage } from '../ui/components';

type Events = NonNullable<
  Extract<ConsoleWorkflowEventsQuery['node'], { events: unknown }>
>['events'];
type WorkflowEvent = Events['edges'][number]['node'];

/**
 * The journal as a timeline, oldest first like the API; the pages read so far are kept and the
 * last page is re-read when the workflow changes, so new events appear live.
 */
export function EventJournal(props: { workflowId: string; version: number }) {
  const { t, dateTime } = useI18n();
  const { token } = useSession();
  const [events, setEvents] = useState<WorkflowEvent[]>([]);
  const [total, setTotal] = useState(0);
  // The cursor the last page started after, and whether more pages follow the loaded ones.
  const [pages, setPages] = useState<Array<string | null>>([null]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [type, setType] = useState('');
  const [customer, setCustomer] = useState('');
  const [text, setText] = useState('');

  useEffect(() => {
    let live = true;
    // Bursts of updates (many steps at once) make one read, not one each.
    const timer = setTimeout(() => void read(), 300);
    const read = async () => {
      try {
        const collected: WorkflowEvent[] = [];
        let more: string | null = null;
        let count = 0;
        for (const after of pages) {
          const data: ConsoleWorkflowEventsQuery = await request(token, WorkflowEventsQuery, {
            id: props.workflowId,
            after,
          });
          const node = data.node;
          if (!node || !('events' in node)) {
            break;
          }
          collected.push(...node.events.edges.map((e) => e.node));
          more = node.events.pageInfo.hasNextPage ? (node.events.pageInfo.endCursor ?? null) : null;
          count = node.events.totalCount;
        }
        if (live) {
          setEvents(collected);
          setTotal(count);
          setNextCursor(more);
          setError(null);
        }
      } catch (e) {
        if (live) {
          setError(e);
        }
      }
    };
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [token, props.workflowId, props.version, pages]);

  const types = useMemo(() => [...new Set(events.map((e) => e.type))].sort(), [events]);
  const customers = useMemo(
    () => [...new Set(events.flatMap((e) => (e.customer ? [e.customer.companyName] : [])))].sort(),
    [events],
  );
  const shown = events.filter(
    (e) =>
      (!type || e.type === type) &&
      (!customer || e.customer?.companyName === customer) &&
      (!text ||
        `${e.message} ${e.subscriptionId ?? ''}`.toLowerCase().includes(text.toLowerCase())),
  );

  return (
    <section className="card" aria-labelledby="journal-title">
      <h2 id="journal-title">{t('wf.journal')}</h2>
      <fieldset className="filters">
        <legend className="visually-hidden">{t('list.filters')}</legend>
        <label>
          {t('wf.journalFilterType')}
          <select value={type} onChange={(e) => setType(e.target.value)}>
            <option value="">{t('common.all')}</option>
            {types.map((x) => (
              <option key={x} value={x}>
                {x}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('wf.journalFilterCustomer')}
          <select value={customer} onChange={(e) => setCustomer(e.target.value)}>
            <option value="">{t('common.all')}</option>
            {customers.map((x) => (
              <option key={x} value={x}>
                {x}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('wf.journalFilterText')}
          <input type="search" value={text} onChange={(e) => setText(e.target.value)} />
        </label>
        <span className="muted" aria-live="polite">
          {t('wf.journalCount', { shown: shown.length, total })}
        </span>
      </fieldset>
      <ErrorMessage error={error} />
      <ol className="timeline" data-testid="journal">
        {shown.map((e, i) => (
          <li key={i} data-type={e.type}>
            <time dateTime={e.at}>{dateTime(e.at)}</time>
            <span className="event-type">{e.type}</span>
            <span className="event-message">
              {e.customer ? <strong>{e.customer.companyName}: </strong> : null}
              {e.message}
              {e.subscriptionId ? <span className="muted"> · {e.subscriptionId}</span> : null}
            </span>
          </li>
        ))}
      </ol>
      {nextCursor ? (
        <button
          type="button"
          className="button"
          onClick={() => setPages((p) => [...p, nextCursor])}
        >
          {t('wf.journalMore')}
        </button>
      ) : null}
    </section>
  );
}
