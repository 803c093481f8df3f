import { type Clock } from './clock.js';

/**
 * Follows a remote emulator's virtual clock over HTTP (`GET /_emulator/clock` → `{ now }`), for
 * replicas that share one standalone emulator (EMULATOR=off with EMULATOR_URL): every replica
 * sees the same business time, and advancing the emulator's clock wakes every replica's workflow
 * runner within one poll interval. Only for emulator-backed setups; production uses the system
 * clock.
 */
export async function createHttpClock(
  emulatorUrl: string,
  options: { pollMs?: number; fetch?: typeof fetch } = {},
): Promise<Clock & { stop(): void }> {
  const doFetch = options.fetch ?? fetch;
  const url = `${emulatorUrl.replace(/\/+$/, '')}/_emulator/clock`;
  const read = async (): Promise<number> => {
    const res = await doFetch(url, { signal: AbortSignal.timeout(5_000) });
    if (!res.ok) {
      throw new Error(`emulator clock: HTTP ${res.status}`);
    }
    const body = (await res.json()) as { now?: string };
    const at = Date.parse(body.now ?? '');
    if (Number.isNaN(at)) {
      throw new Error('emulator clock: no "now" in the answer');
    }
    return at;
  };
  let current = await read();
  const listeners = new Set<() => void>();
  let polling = false;
  const timer = setInterval(() => {
    if (polling) {
      return;
    }
    polling = true;
    read()
      .then((at) => {
        if (at !== current) {
          current = at;
          for (const listener of listeners) {
            listener();
          }
        }
      })
      // The emulator is briefly unreachable: keep the last known time and try again.
      .catch(() => undefined)
      .finally(() => {
        polling = false;
      });
  }, options.pollMs ?? 250);
  timer.unref();
  return {
    now: () => new Date(current),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop: () => clearInterval(timer),
  };
}
