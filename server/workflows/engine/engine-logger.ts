/** The part of a pino logger the engine uses. */
export interface EngineLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/** Partner Center's correlation and request ids of a failed call, when the error carries them. */
export function partnerCenterIds(error: unknown): { correlationId?: string; requestId?: string } {
  const e = (error ?? {}) as { correlationId?: unknown; requestId?: unknown };
  return {
    ...(typeof e.correlationId === 'string' && e.correlationId
      ? { correlationId: e.correlationId }
      : {}),
    ...(typeof e.requestId === 'string' && e.requestId ? { requestId: e.requestId } : {}),
  };
}
