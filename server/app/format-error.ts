import { type ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { type GraphQLFormattedError } from 'graphql';
import { isStorageFault } from '../db/storage-fault.js';
import { ErrorCode, PUBLIC_ERROR_CODES } from '../shared/errors.js';
import { type AppContext } from './context.js';
import { type Logger } from './logger.js';

export const MASKED_MESSAGE = 'Internal server error.';

/** What the caller reads when the database failed (the cause is logged, not sent). */
export const STORAGE_FAILED_MESSAGE =
  'Storage failed: the database could not complete this request. Try again later.';

const isKnownCode = (code: unknown): boolean =>
  typeof code === 'string' && PUBLIC_ERROR_CODES.has(code);

/**
 * Apollo `formatError`: request-level errors with a known code go out as they are (without stack
 * traces in production); a storage fault becomes `SERVICE_UNAVAILABLE` (HTTP 503, see
 * {@link errorLoggingPlugin}); anything else is masked as `INTERNAL_SERVER_ERROR` (the original is
 * logged with the request id by {@link errorLoggingPlugin}).
 */
export function createFormatError(options: { production: boolean; stackTraces?: boolean }) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    if (isKnownCode(formatted.extensions?.code)) {
      if (options.stackTraces && !options.production) {
        return formatted;
      }
      // Stack traces only when asked for (GRAPHQL_STACK_TRACES=on, development): they leak paths.
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      if (!options.production) {
        return { ...formatted, extensions };
      }
      return { ...formatted, message: withoutSuggestions(formatted.message), extensions };
    }
    if (isStorageFault(unwrapResolverError(error)) || isStorageFault(error)) {
      return {
        message: STORAGE_FAILED_MESSAGE,
        ...(formatted.path ? { path: formatted.path } : {}),
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        extensions: { code: ErrorCode.SERVICE_UNAVAILABLE },
      };
    }
    return {
      message: MASKED_MESSAGE,
      ...(formatted.path ? { path: formatted.path } : {}),
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}

/**
 * OWASP: "Did you mean …?" leaks field, argument and enum names even with introspection off
 * (parse-server GHSA-8cph-rgr4-g5vj); production messages drop them.
 */
export const withoutSuggestions = (message: string): string =>
  message.replace(/\s*Did you mean [^?]*\?/g, '');

/** Logs unexpected errors with the request id, and returns the request id in `x-request-id`. */
export function errorLoggingPlugin(logger: Logger): ApolloServerPlugin<AppContext> {
  return {
    async contextCreationDidFail({ error }) {
      if (!isKnownCode((error as { extensions?: { code?: unknown } }).extensions?.code)) {
        logger.error({ err: error }, 'context creation failed');
      }
    },
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            if (!isKnownCode(error.extensions?.code)) {
              (contextValue?.logger ?? logger).error(
                { err: unwrapResolverError(error), path: error.path },
                'unexpected error in a GraphQL request',
              );
            }
          }
        },
        async willSendResponse({ response, contextValue }) {
          // A storage fault is the server's, and temporary: 503, whatever else the response holds.
          if (
            response.body.kind === 'single' &&
            response.body.singleResult.errors?.some(
              (e) => e.extensions?.code === ErrorCode.SERVICE_UNAVAILABLE,
            )
          ) {
            response.http.status = 503;
          }
          if (contextValue?.requestId) {
            response.http.headers.set('x-request-id', contextValue.requestId);
          }
        },
      };
    },
  };
}
