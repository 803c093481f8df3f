import { type AuthVerifier } from './auth.js';
import { type HttpRoute } from './http-routes.js';

// The demo's business clock for the console: with the in-process emulator, time only moves when
// someone moves it (README, "The procedures"); the console offers the same moves as the emulator's
// control API (`POST /_emulator/clock/advance`) without leaving the browser. Absent outside
// emulator mode.

export const DEMO_CLOCK_PATH = '/console/demo-clock';

/** The steps the console offers; anything else is refused. */
export const DEMO_CLOCK_STEPS = ['PT1H', 'PT6H', 'P1D'] as const;

export interface DemoClock {
  now(): Date;
  advance(duration: string): Promise<void>;
}

const reply = (res: Parameters<HttpRoute['handle']>[1], status: number, body: object) => {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify(body));
};

async function readJson(req: Parameters<HttpRoute['handle']>[0]): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 1024) {
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** `GET` the demo clock's time, `POST {"duration": "PT6H"}` to move it; bearer token required. */
export function demoClockRoutes(deps: { clock: DemoClock; auth: AuthVerifier }): HttpRoute[] {
  const authorized = async (header: string | undefined) =>
    deps.auth.verifyHeader(header).then(
      () => true,
      () => false,
    );
  return [
    {
      method: 'GET',
      prefix: DEMO_CLOCK_PATH,
      async handle(req, res, url) {
        if (url.pathname !== DEMO_CLOCK_PATH) {
          reply(res, 404, { error: 'not found' });
        } else if (!(await authorized(req.headers.authorization))) {
          reply(res, 401, { error: 'unauthenticated' });
        } else {
          reply(res, 200, { now: deps.clock.now().toISOString(), steps: DEMO_CLOCK_STEPS });
        }
      },
    },
    {
      method: 'POST',
      prefix: DEMO_CLOCK_PATH,
      async handle(req, res, url) {
        if (url.pathname !== DEMO_CLOCK_PATH) {
          reply(res, 404, { error: 'not found' });
          return;
        }
        if (!(await authorized(req.headers.authorization))) {
          reply(res, 401, { error: 'unauthenticated' });
          return;
        }
        const body = await readJson(req);
        const duration =
          typeof body === 'object' && body !== null && 'duration' in body
            ? (body as { duration: unknown }).duration
            : undefined;
        if (!DEMO_CLOCK_STEPS.some((step) => step === duration)) {
          reply(res, 400, {
            error: 'bad request',
            message: `duration must be one of ${DEMO_CLOCK_STEPS.join(', ')}`,
          });
          return;
        }
        await deps.clock.advance(duration as string);
        reply(res, 200, { now: deps.clock.now().toISOString() });
      },
    },
  ];
}
