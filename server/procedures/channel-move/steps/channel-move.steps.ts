import { type GdapClientFactory } from '../../../graph/gdap.client.js';
import { type PartnerCenterClientFactory } from '../../../partner-center/client-factory.js';
import { type EngineDb } from '../../../workflows/engine/db.types.js';
import { type WorkflowDefinition } from '../../../workflows/engine/step-context.js';
import { channelMoveGdapSteps } from './gdap.steps.js';
import {
  DEFAULT_INVITATION_POLICY,
  type InvitationPolicy,
  withInvitationFollowUp,
} from '../../shared/invitation-follow-up.js';
import { channelMoveInvitationSpec } from '../channel-move-invitations.js';
import { lineSteps } from './line.steps.js';
import { relationshipSteps } from './relationship.steps.js';

export interface ChannelMoveDeps {
  db: EngineDb;
  clients: PartnerCenterClientFactory;
  /** Microsoft Graph (the GDAP step, issue 15 item 2). */
  graph?: GdapClientFactory;
  /** Fallback recheck of the relationship item while its lines run (children wake it anyway). */
  wakeFallbackMs?: number;
  /** Recheck of an ordered subscription still provisioning (business time). */
  provisioningRecheckMs?: number;
  /** Reminders and validity of the relationship request (R-CHN-1). */
  invitations?: Partial<InvitationPolicy>;
}

/** The channel move's steps (R-CHN-1..6), one file per item kind. Every Partner Center write is journalled. */
export function channelMoveDefinition(deps: ChannelMoveDeps): WorkflowDefinition {
  const stepDeps = {
    db: deps.db,
    clients: deps.clients,
    wakeFallbackMs: deps.wakeFallbackMs ?? 24 * 60 * 60_000,
    provisioningRecheckMs: deps.provisioningRecheckMs ?? 2 * 60_000,
  };
  const relationship = relationshipSteps(stepDeps);
  return {
    kind: 'CHANNEL_MOVE',
    steps: {
      ...relationship,
      // Reminders, validity and the expiry blocker while the customer has not accepted.
      await_acceptance: withInvitationFollowUp(
        relationship.await_acceptance as NonNullable<typeof relationship.await_acceptance>,
        channelMoveInvitationSpec,
        { ...DEFAULT_INVITATION_POLICY, ...deps.invitations },
      ),
      ...lineSteps(stepDeps),
      ...(deps.graph ? channelMoveGdapSteps({ graph: deps.graph }) : {}),
    },
  };
}
