import { PcHttpError } from './responses.js';
import type { PcRequest } from './router.js';

/**
 * Partner Center roles of an App+User token. The emulator's own tokens carry no `roles` claim and
 * pass (an app acting for the partner); a token that lists roles must include the Admin agent one
 * for the operations Microsoft documents as "Appropriate roles: Admin agent" (transfers,
 * new-commerce migrations). [guess] The refusal is 403 with code 400 ("access denied", §1).
 */
function claimsOf(req: PcRequest): Record<string, unknown> {
  const auth = req.header('Authorization') ?? '';
  const payload = /^Bearer\s+[^.]+\.([^.]+)/i.exec(auth.trim())?.[1];
  if (!payload) {
    return {};
  }
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
  } catch {
    return {};
  }
}

const ADMIN_AGENT = new Set(['adminagent', 'adminagents', 'globaladmin', 'globaladministrator']);

export function requireAdminAgent(req: PcRequest, operation: string): void {
  const roles = claimsOf(req).roles;
  if (roles === undefined) {
    return;
  }
  const list = (Array.isArray(roles) ? roles : [roles]).map((r) =>
    String(r)
      .replace(/[\s_-]/g, '')
      .toLowerCase(),
  );
  if (!list.some((r) => ADMIN_AGENT.has(r))) {
    throw new PcHttpError(
      403,
      400,
      `Access denied: ${operation} needs the Admin agent role; the caller has ${list.length ? (Array.isArray(roles) ? roles : [roles]).join(', ') : 'no Partner Center role'}.`,
    );
  }
}
