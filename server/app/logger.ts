import { pino, type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';

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

/**
 * Structured JSON logs (pino) to stdout, or to `destination` (tests); `pretty`: coloured one-line
 * records for a person at a terminal (pino-pretty, in-process so nothing is lost on exit), secrets
 * redacted as in JSON.
 */
export function createLogger(options: {
  level: string;
  name?: string;
  destination?: DestinationStream;
  pretty?: boolean;
}): Logger {
  const settings = {
    name: options.name ?? 'csp-migrations',
    level: options.level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_LOG_PATHS, remove: true },
  };
  if (options.pretty) {
    return pino(
      settings,
      pretty({
        colorize: !options.destination,
        translateTime: 'SYS:HH:MM:ss.l',
        ignore: 'name',
        singleLine: true,
        sync: true,
        ...(options.destination
          ? { destination: options.destination as unknown as NodeJS.WritableStream }
          : {}),
      }),
    );
  }
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

/** LOG_FORMAT `auto`: pretty in development when stdout is a terminal, JSON otherwise. */
export function wantsPrettyLogs(
  format: 'auto' | 'json' | 'pretty',
  nodeEnv: string,
  stdoutIsTty: boolean,
): boolean {
  return format === 'pretty' || (format === 'auto' && nodeEnv === 'development' && stdoutIsTty);
}
