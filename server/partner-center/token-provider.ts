import { SignJWT } from 'jose';
import { z } from 'zod';

/** Supplies bearer tokens for calls made on behalf of a partner tenant. */
export interface TokenProvider {
  getToken(partnerTenantId: string, signal?: AbortSignal): Promise<string>;
}

/** Key the emulator token provider signs with; the emulator does not check signatures by default. */
export const EMULATOR_DEV_TOKEN_KEY = 'csp-migrations-emulator-dev-key';

/**
 * Mints emulator tokens: an HS256 JWT whose `tid` claim is the partner tenant, as Entra ID app
 * tokens carry it. Tokens are cached per tenant for their lifetime.
 */
export class EmulatorTokenProvider implements TokenProvider {
  private readonly cache = new Map<string, { token: string; expiresAt: number }>();
  private readonly key: Uint8Array;

  constructor(
    private readonly options: {
      key?: string;
      audience?: string;
      lifetimeSeconds?: number;
      now?: () => number;
    } = {},
  ) {
    this.key = new TextEncoder().encode(options.key ?? EMULATOR_DEV_TOKEN_KEY);
  }

  async getToken(partnerTenantId: string): Promise<string> {
    const now = this.options.now?.() ?? Date.now();
    const cached = this.cache.get(partnerTenantId);
    if (cached && cached.expiresAt - 60_000 > now) {
      return cached.token;
    }
    const lifetime = this.options.lifetimeSeconds ?? 3600;
    const iat = Math.floor(now / 1000);
    const token = await new SignJWT({ tid: partnerTenantId, appid: 'csp-migrations' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuedAt(iat)
      .setExpirationTime(iat + lifetime)
      .setAudience(this.options.audience ?? 'https://api.partnercenter.microsoft.com')
      .setIssuer(`https://sts.windows.net/${partnerTenantId}/`)
      .sign(this.key);
    this.cache.set(partnerTenantId, { token, expiresAt: (iat + lifetime) * 1000 });
    return token;
  }
}

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().positive(),
});

const tokenErrorSchema = z
  .object({ error: z.string(), error_description: z.string().optional() })
  .passthrough();

/** Entra ID could not be reached: retryable, and says which token and which host. */
export class TokenNetworkError extends Error {
  override name = 'TokenNetworkError';
  readonly code = 'NETWORK_ERROR';
  readonly retryable = true;
  constructor(message: string, cause: unknown) {
    super(message, { cause });
  }
}

export class TokenAcquisitionError extends Error {
  override name = 'TokenAcquisitionError';
  constructor(
    message: string,
    readonly status: number,
    readonly errorCode?: string,
  ) {
    super(message);
  }
}

/**
 * Entra ID client-credentials flow (app-only): `POST {authority}/{tenant}/oauth2/v2.0/token` with
 * `grant_type=client_credentials`, cached per tenant until shortly before expiry; concurrent callers
 * share one in-flight request.
 */
export class ClientCredentialsTokenProvider implements TokenProvider {
  private readonly cache = new Map<string, { token: string; expiresAt: number }>();
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(
    private readonly options: {
      clientId: string;
      clientSecret: string;
      authority?: string;
      scope?: string;
      fetch?: typeof fetch;
      /** What the token is for, in error messages (default "Partner Center token"). */
      label?: string;
      now?: () => number;
      /** Renew this many ms before expiry (default 5 min). */
      skewMs?: number;
    },
  ) {}

  async getToken(partnerTenantId: string, signal?: AbortSignal): Promise<string> {
    const now = this.options.now?.() ?? Date.now();
    const cached = this.cache.get(partnerTenantId);
    if (cached && cached.expiresAt - (this.options.skewMs ?? 300_000) > now) {
      return cached.token;
    }
    const pending = this.inFlight.get(partnerTenantId);
    if (pending) {
      return pending;
    }
    const request = this.requestToken(partnerTenantId, signal).finally(() =>
      this.inFlight.delete(partnerTenantId),
    );
    this.inFlight.set(partnerTenantId, request);
    return request;
  }

  private async requestToken(tenantId: string, signal?: AbortSignal): Promise<string> {
    const authority = (this.options.authority ?? 'https://login.microsoftonline.com').replace(
      /\/$/,
      '',
    );
    const url = `${authority}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`;
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.options.clientId,
      client_secret: this.options.clientSecret,
      scope: this.options.scope ?? 'https://api.partnercenter.microsoft.com/.default',
    });
    const doFetch = this.options.fetch ?? fetch;
    let response: Response;
    try {
      response = await doFetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body,
        signal,
      });
    } catch (cause) {
      if (signal?.aborted) {
        throw cause;
      }
      // fetch says only "fetch failed": name the token and the host that could not be reached.
      throw new TokenNetworkError(
        `${this.options.label ?? 'Partner Center token'} (${new URL(url).host}): ${
          cause instanceof Error ? cause.message : String(cause)
        }`,
        cause,
      );
    }
    const json: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const parsedError = tokenErrorSchema.safeParse(json);
      throw new TokenAcquisitionError(
        `Token request for tenant ${tenantId} failed with ${response.status}` +
          (parsedError.success
            ? `: ${parsedError.data.error} ${parsedError.data.error_description ?? ''}`
            : ''),
        response.status,
        parsedError.success ? parsedError.data.error : undefined,
      );
    }
    const parsed = tokenResponseSchema.safeParse(json);
    if (!parsed.success) {
      throw new TokenAcquisitionError(
        `Token response for tenant ${tenantId} is invalid`,
        response.status,
      );
    }
    const now = this.options.now?.() ?? Date.now();
    this.cache.set(tenantId, {
      token: parsed.data.access_token,
      expiresAt: now + parsed.data.expires_in * 1000,
    });
    return parsed.data.access_token;
  }
}
