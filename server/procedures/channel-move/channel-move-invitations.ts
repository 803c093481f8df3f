import { type InvitationSpec } from '../shared/invitation-follow-up.js';
import { RELATIONSHIP, type ChannelMoveData } from './channel-move.model.js';

/**
 * How a channel move invites (R-CHN-1): its RELATIONSHIP item asks the customer for a reseller
 * relationship with the partner tenant, then waits for the acceptance (reminders, validity,
 * reinvite and exclusion as for the consolidation).
 */
export const channelMoveInvitationSpec: InvitationSpec = {
  itemKind: RELATIONSHIP,
  inviteStep: 'request',
  acceptanceStep: 'await_acceptance',
  invitedState: 'REQUESTED',
  expiredState: 'INVITATION_EXPIRED',
  invitingTenant: (data) => (data as unknown as ChannelMoveData).partner,
};
