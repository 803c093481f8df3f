import { useEffect, useRef, useState } from 'react';
import { useSession } from '../auth/session';
import { type MessageKey } from '../i18n/dictionary';
import { useI18n } from '../i18n/i18n';

// With the in-process emulator, time moves only when someone moves it: the API's
// /console/demo-clock moves the emulator's clock (server/app/demo-clock.route.ts), and the
// workflow engine follows it.
const STEPS: ReadonlyArray<{ duration: string; label: MessageKey }> = [
  { duration: 'PT1H', label: 'clock.hour' },
  { duration: 'PT6H', label: 'clock.sixHours' },
  { duration: 'P1D', label: 'clock.day' },
];

const PATH = `${import.meta.env.BASE_URL}demo-clock`;

/** `refresh` (e.g. the workflow's updatedAt) re-reads the time when someone else moved it. */
export function DemoClock(props: { refresh?: string }) {
  const { t, dateTime } = useI18n();
  const { token } = useSession();
  const [now, setNow] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // Only the latest request's answer is shown (reads and moves may cross).
  const sequence = useRef(0);
  const call = async (init?: RequestInit) => {
    const mine = ++sequence.current;
    const response = await fetch(PATH, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    });
    const body = (await response.json()) as { now?: string; message?: string };
    if (!response.ok || !body.now) {
      throw new Error(body.message ?? `HTTP ${response.status}`);
    }
    if (mine === sequence.current) {
      setNow(body.now);
    }
  };

  useEffect(() => {
    const read = () =>
      void call().catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
    read();
    const timer = setInterval(read, 15_000);
    return () => clearInterval(timer);
  }, [token, props.refresh]);

  const advance = async (duration: string) => {
    setBusy(true);
    setError(null);
    try {
      await call({ method: 'POST', body: JSON.stringify({ duration }) });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="demo-clock" role="group" aria-labelledby="demo-clock-title">
      <span id="demo-clock-title">
        <strong>{t('clock.title')}</strong>{' '}
        <span data-testid="demo-clock-now">{now ? dateTime(now) : '…'}</span>
      </span>
      {STEPS.map((step) => (
        <button
          key={step.duration}
          type="button"
          className="button"
          data-duration={step.duration}
          disabled={busy}
          onClick={() => void advance(step.duration)}
        >
          {t(step.label)}
        </button>
      ))}
      {error ? (
        <span className="error" role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}
