import { type ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { type GraphQLFormattedError } from 'graphql';
import { ErrorCode, PUBLIC_ERROR_CODES } from '../shared/errors.js';
import { type AppContext } from './context.js';
import { type Logger } from './logger.js';

export const MASKED_MESSAGE = 'Internal server error.';

const isKnownCode = (code: unknown): boolean =>
  typeof code === 'string' && PUBLIC_ERROR_CODES.has(code);

/**
 * Apollo `formatError`: request-level errors with a known code go out as they are (without stack
 * traces in production); anything else is masked as `INTERNAL_SERVER_ERROR` (the original is logged
 * with the request id by {@link errorLoggingPlugin}).
 */
export function createFormatError(options: { production: boolean }) {
  return (formatted: GraphQLFormattedError, _error: unknown): GraphQLFormattedError => {
    if (isKnownCode(formatted.extensions?.code)) {
      if (!options.production) {
        return formatted;
      }
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, message: withoutSuggestions(formatted.message), extensions };
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
          if (contextValue?.requestId) {
            response.http.headers.set('x-request-id', contextValue.requestId);
          }
        },
      };
    },
  };
}
