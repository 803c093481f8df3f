import { useId, type ButtonHTMLAttributes, type MouseEvent, type ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';
import { href, navigate } from './router';

/** A link inside the console (client-side navigation, real href for new tabs and keyboards). */
export function Link(props: { to: string; children: ReactNode; className?: string }) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    event.preventDefault();
    navigate(props.to);
  };
  return (
    <a
      href={href(props.to)}
      onClick={onClick}
      className={props.className}
      aria-current={props.className?.split(' ').includes('current') ? 'page' : undefined}
    >
      {props.children}
    </a>
  );
}

/**
 * A button that, when not allowed, stays visible but disabled with the reason next to it (read by
 * screen readers through aria-describedby).
 */
export function ActionButton(
  props: ButtonHTMLAttributes<HTMLButtonElement> & { disabledReason?: string | null | undefined },
) {
  const { disabledReason, children, className, ...rest } = props;
  const reasonId = useId();
  const blocked = Boolean(disabledReason);
  return (
    <span className="action">
      <button
        type="button"
        {...rest}
        className={className ?? 'button'}
        disabled={blocked || rest.disabled}
        aria-describedby={blocked ? reasonId : undefined}
      >
        {children}
      </button>
      {blocked ? (
        <span id={reasonId} className="reason">
          {disabledReason}
        </span>
      ) : null}
    </span>
  );
}

export function ProgressBar(props: {
  completed: number;
  total: number;
  /** Items left out by an operator and items blocked: counted apart, never as done. */
  excluded?: number;
  blocked?: number;
  label?: string;
}) {
  const { t } = useI18n();
  const percent = props.total > 0 ? Math.round((props.completed / props.total) * 100) : 0;
  const apart = [
    props.excluded ? t('progress.excluded', { count: props.excluded }) : null,
    props.blocked ? t('progress.blocked', { count: props.blocked }) : null,
  ].filter((x): x is string => x !== null);
  const label =
    props.label ??
    [t('progress.label', { completed: props.completed, total: props.total }), ...apart].join(', ');
  return (
    <div className="progress">
      <div
        className="progress-track"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={props.total}
        aria-valuenow={props.completed}
        aria-valuetext={label}
        aria-label={label}
      >
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <span className="progress-text">
        {props.completed}/{props.total} ({percent}%)
        {apart.length > 0 ? (
          <span className="progress-apart" data-testid="progress-apart">
            {' · '}
            {apart.join(' · ')}
          </span>
        ) : null}
      </span>
    </div>
  );
}

export function Badge(props: { tone: string; children: ReactNode }) {
  return <span className={`badge badge-${props.tone.toLowerCase()}`}>{props.children}</span>;
}

export function ErrorMessage(props: { error: unknown }) {
  const { t } = useI18n();
  if (!props.error) {
    return null;
  }
  const message = props.error instanceof Error ? props.error.message : String(props.error);
  return (
    <p className="error" role="alert">
      {t('common.error', { message })}
    </p>
  );
}

export interface UserErrorView {
  code: string;
  message: string;
  field?: readonly string[] | null;
}

export function UserErrors(props: { errors: readonly UserErrorView[]; title: string }) {
  if (props.errors.length === 0) {
    return null;
  }
  return (
    <div className="error" role="alert">
      <p>{props.title}</p>
      <ul>
        {props.errors.map((e, i) => (
          <li key={i}>
            <code>{e.code}</code> {e.message}
            {e.field && e.field.length > 0 ? (
              <span className="muted"> ({e.field.join('.')})</span>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Turns rows into RFC 4180 CSV (the dry-run table export, made in the browser). */
export function toCsv(
  rows: ReadonlyArray<ReadonlyArray<string | number | null | undefined>>,
): string {
  const cell = (value: string | number | null | undefined) => {
    const text = value === null || value === undefined ? '' : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return rows.map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

export function saveText(text: string, fileName: string, type = 'text/csv;charset=utf-8'): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([text], { type }));
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
}
