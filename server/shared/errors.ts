import { GraphQLError } from 'graphql';

/** Every `extensions.code` the API throws at request level (business failures are `userErrors`). */
export enum ErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  NOT_FOUND = 'NOT_FOUND',
  UPSTREAM_UNAVAILABLE = 'UPSTREAM_UNAVAILABLE',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
  /** Query limits (issue 8): refused before execution. */
  QUERY_TOO_DEEP = 'QUERY_TOO_DEEP',
  TOO_MANY_ALIASES = 'TOO_MANY_ALIASES',
  TOO_MANY_TOKENS = 'TOO_MANY_TOKENS',
  /** Field selections (fragments expanded) or same-name field comparisons over the limit. */
  TOO_MANY_FIELDS = 'TOO_MANY_FIELDS',
  QUERY_TOO_COMPLEX = 'QUERY_TOO_COMPLEX',
  /** The caller's cost budget is empty (HTTP 429 with Retry-After). */
  THROTTLED = 'THROTTLED',
  /** The operation ran longer than the per-operation limit. */
  TIMEOUT = 'TIMEOUT',
  /** Storage failed (disk full, I/O error, database file gone, connection lost): HTTP 503. */
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
}

/** Base of the request-level errors; `formatError` lets these through unmasked. */
export class AppGraphQLError extends GraphQLError {
  constructor(message: string, code: ErrorCode, extras: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extras, code } });
  }
}

export class UnauthenticatedError extends AppGraphQLError {
  constructor(message = 'Authentication required: send a valid bearer token.') {
    super(message, ErrorCode.UNAUTHENTICATED, { http: { status: 401 } });
  }
}

export class ForbiddenError extends AppGraphQLError {
  constructor(message = 'Your roles do not allow this operation.') {
    super(message, ErrorCode.FORBIDDEN);
  }
}

export class BadUserInputError extends AppGraphQLError {
  constructor(message: string, field?: string) {
    super(message, ErrorCode.BAD_USER_INPUT, field ? { field } : {});
  }
}

export class NotFoundError extends AppGraphQLError {
  constructor(message = 'Not found.') {
    super(message, ErrorCode.NOT_FOUND);
  }
}

export class UpstreamUnavailableError extends AppGraphQLError {
  constructor(message: string, extras: Record<string, unknown> = {}) {
    super(message, ErrorCode.UPSTREAM_UNAVAILABLE, extras);
  }
}

/**
 * Codes that `formatError` passes to the client as they are. INTERNAL_SERVER_ERROR is not one of
 * them: Apollo gives that code to every unexpected exception, so those are always masked.
 */
export const PUBLIC_ERROR_CODES: ReadonlySet<string> = new Set<string>([
  ...Object.values(ErrorCode).filter((c) => c !== ErrorCode.INTERNAL_SERVER_ERROR),
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);
