import type { UserErrorCode } from './error-codes.js';

/** Expected outcomes of a service call: failures are values, not exceptions. */
export type Result<T, E = DomainError> = { ok: true; value: T } | { ok: false; error: E };

/** A business failure that becomes a `UserError` in a payload. */
export interface DomainError {
  /** Registered in server/shared/error-codes.ts (docs/error-codes.md). */
  code: UserErrorCode;
  message: string;
  field?: string[];
}

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const err = <E>(error: E): { ok: false; error: E } => ({ ok: false, error });
