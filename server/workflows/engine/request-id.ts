import { createHash } from 'node:crypto';

/**
 * A deterministic MS-RequestId for one step of one item: the same step after a crash re-sends the
 * same id, so Partner Center (which treats MS-RequestId as an idempotency key) returns the first
 * result instead of creating a second order. Formatted as an RFC 4122 v5-style GUID.
 */
export function stepRequestId(workflowId: string, itemId: string, step: string, salt = ''): string {
  const hex = createHash('sha256')
    .update(`${workflowId}\u0000${itemId}\u0000${step}\u0000${salt}`)
    .digest('hex');
  const variant = ((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16).padStart(2, '0');
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `5${hex.slice(13, 16)}`,
    `${variant}${hex.slice(18, 20)}`,
    hex.slice(20, 32),
  ].join('-');
}
