import { type InvitationSpec } from '../shared/invitation-follow-up.js';
import { CUSTOMER, type ConsolidationData } from './consolidation.model.js';

/**
 * How a consolidation invites (R-CON-2): each CUSTOMER item asks for a reseller relationship with
 * the target tenant, then waits for the acceptance (reminders, validity, reinvite and exclusion:
 * procedures/shared/invitation-follow-up.ts and customer-invitations.service.ts).
 */
export const consolidationInvitationSpec: InvitationSpec = {
  itemKind: CUSTOMER,
  inviteStep: 'invite',
  acceptanceStep: 'await_acceptance',
  invitedState: 'INVITED',
  expiredState: 'INVITATION_EXPIRED',
  invitingTenant: (data) => (data as unknown as ConsolidationData).target,
};
