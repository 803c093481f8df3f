import { useI18n } from '../i18n/i18n';

export interface StateCount {
  state: string;
  label: string;
  count: number;
}

const TONES: Record<string, string> = {
  DONE: 'done',
  MAPPED: 'done',
  BLOCKED: 'blocked',
  INVITATION_EXPIRED: 'blocked',
  EXCLUDED: 'planned',
  FAILED: 'failed',
  PLANNED: 'planned',
};

/** Where the customers (or lines) are: a stacked bar and one tile per state, in process order. */
export function StateBoard(props: {
  title: string;
  counts: readonly StateCount[];
  note?: string | undefined;
}) {
  const { number } = useI18n();
  const total = props.counts.reduce((n, c) => n + c.count, 0);
  return (
    <section className="card board" aria-labelledby="board-title">
      <h2 id="board-title">{props.title}</h2>
      <div className="stack" aria-hidden="true">
        {props.counts
          .filter((c) => c.count > 0)
          .map((c) => (
            <div
              key={c.state}
              className={`stack-part tone-${TONES[c.state] ?? 'active'}`}
              style={{ flexGrow: c.count }}
              title={`${c.label}: ${c.count}`}
            />
          ))}
      </div>
      <ol className="tiles" data-testid="state-board" data-total={total}>
        {props.counts.map((c) => (
          <li
            key={c.state}
            className={`tile tone-${TONES[c.state] ?? 'active'}`}
            data-state={c.state}
            data-count={c.count}
          >
            <span className="tile-count">{number(c.count)}</span>
            <span className="tile-label">{c.label}</span>
          </li>
        ))}
      </ol>
      {props.note ? <p className="muted">{props.note}</p> : null}
    </section>
  );
}

/** Counts values in a fixed order (every state shown, zero included). */
export function countStates<S extends string>(
  order: readonly S[],
  values: readonly S[],
  label: (state: S) => string,
): StateCount[] {
  return order.map((state) => ({
    state,
    label: label(state),
    count: values.filter((v) => v === state).length,
  }));
}
