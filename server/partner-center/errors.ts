/**
 * A failed Partner Center call: a non-2xx response (with the vendor's `{code, description}` body),
 * a network failure or timeout (`status` 0), or a response that does not match its contract.
 */
export class PartnerCenterError extends Error {
  override name = 'PartnerCenterError';
  /** HTTP status; 0 when no response was received (network error, timeout). */
  readonly status: number;
  /** Partner Center error code as a string (e.g. `"20002"`), or a local one (`NETWORK_ERROR`, `TIMEOUT`, `INVALID_RESPONSE`). */
  readonly code: string;
  readonly description: string;
  readonly correlationId: string;
  readonly requestId: string;
  /** Whether repeating the same call may succeed (429, 5xx, network errors, timeouts). */
  readonly retryable: boolean;
  /** Seconds from `Retry-After`, when the response carried one. */
  readonly retryAfterSeconds: number | undefined;
  /** Method and path of the call, for logs. */
  readonly operation: string;

  constructor(init: {
    status: number;
    code: string;
    description: string;
    correlationId: string;
    requestId: string;
    retryable: boolean;
    operation: string;
    retryAfterSeconds?: number;
    cause?: unknown;
  }) {
    super(
      `Partner Center ${init.operation} failed: ${init.status || 'no response'} ${init.code} ${init.description}`,
      { cause: init.cause },
    );
    this.status = init.status;
    this.code = init.code;
    this.description = init.description;
    this.correlationId = init.correlationId;
    this.requestId = init.requestId;
    this.retryable = init.retryable;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.operation = init.operation;
  }

  /** True for "no such resource / no relationship" answers (404, and 403/20002). */
  get isNotFound(): boolean {
    return this.status === 404 || (this.status === 403 && this.code === '20002');
  }
}

/** Whether an HTTP status is worth retrying. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || status >= 500;
}
