import { createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * Signing-link tokens (R-TRF-5 signatures without an account). A token is the HMAC-SHA-256 of a
 * random per-link nonce under the server's key: unguessable without the key, re-derivable by the
 * server so that admins of the owning organization can be shown the link again, and stored only as
 * its SHA-256 (the lookup key), so the table alone never yields a usable link.
 */
export class SigningTokens {
  private readonly key: Buffer;

  constructor(secret: string | Uint8Array) {
    this.key = createHash('sha256')
      .update('csp-migrations/transfer-signing-links\u0000')
      .update(secret)
      .digest();
  }

  static newNonce(): string {
    return randomBytes(24).toString('base64url');
  }

  token(workflowId: string, party: string, nonce: string): string {
    return createHmac('sha256', this.key)
      .update(`${workflowId}\u0000${party}\u0000${nonce}`)
      .digest('base64url');
  }

  static hash(token: string): string {
    return createHash('sha256').update(token).digest('hex');
  }
}

/** Plausible token shape (43 base64url characters); anything else is refused before a lookup. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
