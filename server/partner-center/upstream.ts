import { PartnerCenterError } from './errors.js';
import { UpstreamUnavailableError } from '../shared/errors.js';

/**
 * Runs a Partner Center read for a service: "not found / no relationship" becomes null, any other
 * Partner Center failure becomes `UPSTREAM_UNAVAILABLE` (with the vendor code and ids for support).
 */
export async function readUpstream<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof PartnerCenterError) {
      if (error.isNotFound) {
        return null;
      }
      throw upstreamError(error);
    }
    throw error;
  }
}

/** Like {@link readUpstream} but a 404 is an upstream failure too. */
export async function requireUpstream<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof PartnerCenterError) {
      throw upstreamError(error);
    }
    throw error;
  }
}

export function upstreamError(error: PartnerCenterError): UpstreamUnavailableError {
  const upstream = new UpstreamUnavailableError(
    `Partner Center is unavailable or refused the call (${error.status || 'no response'} ${error.code}).`,
    {
      partnerCenter: {
        status: error.status,
        code: error.code,
        requestId: error.requestId,
        correlationId: error.correlationId,
        retryable: error.retryable,
      },
    },
  );
  (upstream as { cause?: unknown }).cause = error;
  return upstream;
}
