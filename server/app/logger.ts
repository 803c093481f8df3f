import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Log fields that may carry credentials or signing material: bearer tokens, Partner Center client
 * secrets, access tokens, signing keys and links. Removed from every log line (issue 8), at the top
 * level and one or two levels down (request headers, options objects, error details).
 */
export const REDACTED_LOG_PATHS = [
  'authorization',
  'Authorization',
  'token',
  'accessToken',
  'access_token',
  'clientSecret',
  'client_secret',
  'signingSecret',
  'secret',
  'password',
  'signingLink',
  'signingUrl',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'connectionParams.authorization',
  '*.authorization',
  '*.Authorization',
  '*.token',
  '*.accessToken',
  '*.access_token',
  '*.clientSecret',
  '*.client_secret',
  '*.signingSecret',
  '*.secret',
  '*.password',
  '*.signingLink',
  '*.signingUrl',
  '*.headers.authorization',
  '*.*.clientSecret',
  '*.*.authorization',
];

/** Structured JSON logs (pino) to stdout, or to `destination` (tests). */
export function createLogger(options: {
  level: string;
  name?: string;
  destination?: DestinationStream;
}): Logger {
  const settings = {
    name: options.name ?? 'csp-migrations',
    level: options.level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_LOG_PATHS, remove: true },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
