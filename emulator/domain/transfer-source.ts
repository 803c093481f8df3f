import type { TransferRecord } from '../core/commerce.model.js';
import type { EmulatorRuntime } from '../core/runtime.js';
import { transferProductType } from './transfer-moves.js';
import { acceptNceTransfer, type AcceptLineInput } from './transfers.service.js';

/**
 * The source partner played by the autopilot or the control API (issue 14: "the other partner"):
 * it accepts a pending new-commerce transfer with every active subscription of the requested
 * product types, up to the per-transfer cap.
 */
/** What the autopilot, as source partner, transfers: every active eligible subscription (up to the cap). */
export function eligibleForTransfer(rt: EmulatorRuntime, t: TransferRecord): AcceptLineInput[] {
  return rt.store
    .subscriptionsOf(t.sourcePartnerTenantId, t.customerTenantId)
    .filter((s) => {
      const type = transferProductType(s);
      return (
        s.status === 'active' &&
        type !== undefined &&
        (!t.targetProductTypes ||
          t.targetProductTypes.some((p) => p.toLowerCase() === type.toLowerCase()))
      );
    })
    .slice(0, rt.store.autopilot.commerce.transferSubscriptionLimit)
    .map((s) => ({ subscriptionId: s.id, quantity: s.quantity }));
}

/** The autopilot (or the control API) accepts as the source partner. */
export function acceptAsSource(
  rt: EmulatorRuntime,
  transferId: string,
): TransferRecord | undefined {
  const t = rt.store.commerce.transfers.get(transferId.toLowerCase());
  if (!t || t.status !== 'Pending' || t.flow !== 'new_commerce') {
    return t;
  }
  const lines = eligibleForTransfer(rt, t);
  if (lines.length === 0) {
    return t;
  }
  const source = rt.store.partners.get(t.sourcePartnerTenantId);
  return acceptNceTransfer(
    rt,
    {
      partnerTenantId: t.sourcePartnerTenantId,
      userPrincipalName: `admin@${source?.domain ?? 'partner'}`,
      applicationId: 'Partner Center',
      correlationId: rt.newId(),
    },
    t,
    lines,
  );
}
