import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs (pino) to stdout. */
export function createLogger(options: { level: string; name?: string }): Logger {
  return pino({
    name: options.name ?? 'csp-migrations',
    level: options.level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['req.headers.authorization', 'authorization', 'token'], remove: true },
  });
}
