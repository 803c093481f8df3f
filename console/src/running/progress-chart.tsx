import { useI18n } from '../i18n/i18n';
import { type ProgressSample } from './live-workflow';

const WIDTH = 480;
const HEIGHT = 160;
const PAD = { left: 36, right: 12, top: 10, bottom: 24 };

/** Percentage done over the workflow's clock, as an SVG line (no chart library). */
export function ProgressChart(props: { samples: readonly ProgressSample[] }) {
  const { t, dateTime } = useI18n();
  const points = props.samples.filter((s) => s.total > 0);
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) {
    return <p className="muted">{t('wf.chartEmpty')}</p>;
  }
  const span = Math.max(last.at - first.at, 1);
  const x = (at: number) => PAD.left + ((at - first.at) / span) * (WIDTH - PAD.left - PAD.right);
  const y = (s: ProgressSample) =>
    PAD.top + (1 - s.completed / s.total) * (HEIGHT - PAD.top - PAD.bottom);
  // A step line: progress holds until the next change.
  const path = points
    .map((s, i) => {
      const prev = points[i - 1];
      return i === 0
        ? `M${x(s.at)},${y(s)}`
        : `L${x(s.at)},${prev ? y(prev) : y(s)} L${x(s.at)},${y(s)}`;
    })
    .join(' ');
  const pct = (s: ProgressSample) => Math.round((s.completed / s.total) * 100);
  const summary = t('wf.chartSummary', {
    from: dateTime(new Date(first.at).toISOString()),
    to: dateTime(new Date(last.at).toISOString()),
    start: pct(first),
    end: pct(last),
  });
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={summary}
        data-testid="progress-chart"
        data-points={points.length}
      >
        {[0, 50, 100].map((p) => {
          const py = PAD.top + (1 - p / 100) * (HEIGHT - PAD.top - PAD.bottom);
          return (
            <g key={p}>
              <line x1={PAD.left} x2={WIDTH - PAD.right} y1={py} y2={py} className="grid" />
              <text x={PAD.left - 6} y={py + 4} textAnchor="end">
                {p}%
              </text>
            </g>
          );
        })}
        <path d={path} className="line" />
        {points.map((s) => (
          <circle key={s.at} cx={x(s.at)} cy={y(s)} r={2.5} className="dot" />
        ))}
        <text x={PAD.left} y={HEIGHT - 6}>
          {dateTime(new Date(first.at).toISOString())}
        </text>
        <text x={WIDTH - PAD.right} y={HEIGHT - 6} textAnchor="end">
          {dateTime(new Date(last.at).toISOString())}
        </text>
      </svg>
      <figcaption className="muted">{summary}</figcaption>
    </figure>
  );
}
