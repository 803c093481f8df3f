import { type Emulator } from 'partner-center-emulator';

// GDAP helpers of the end-to-end suites: Graph calls as a partner tenant (like any client) and
// the emulator's customer actor, so a test can give a partner tenant GDAP before a procedure runs.

export const GRAPH = 'https://graph.microsoft.com/v1.0';
export const REL_PATH = '/tenantRelationships/delegatedAdminRelationships';
export const ROLE_IDS = {
  directoryReaders: '88d8e3e3-8f55-4a1e-953a-9b9898b8876b',
  userAdministrator: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  licenseAdministrator: '4d6ac14f-3453-41d0-bef9-a3e0c569773a',
  helpdeskAdministrator: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  serviceSupportAdministrator: 'f023fd81-a637-4b56-95fd-791ac0226033',
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
};
/** The server's default template (server/graph/gdap-role-template.ts), as role ids. */
export const DEFAULT_TEMPLATE_ROLE_IDS = [
  ROLE_IDS.directoryReaders,
  ROLE_IDS.userAdministrator,
  ROLE_IDS.licenseAdministrator,
  ROLE_IDS.helpdeskAdministrator,
];

export interface GraphRelationship {
  id: string;
  displayName: string;
  status: string;
  autoExtendDuration: string;
  endDateTime: string | null;
  customer: { tenantId: string } | null;
  accessDetails: { unifiedRoles: { roleDefinitionId: string }[] };
}

export async function graphCall<T>(
  emulator: Emulator,
  tenantId: string,
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<{ status: number; body: T }> {
  const res = await emulator.fetch(`${GRAPH}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${emulator.tokenFor(tenantId)}`,
      accept: 'application/json',
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** The partner tenant's relationships with a customer, as Graph lists them. */
export async function relationshipsWith(
  emulator: Emulator,
  partnerTenantId: string,
  customerTenantId: string,
): Promise<GraphRelationship[]> {
  const res = await graphCall<{ value: GraphRelationship[] }>(
    emulator,
    partnerTenantId,
    `${REL_PATH}?$filter=${encodeURIComponent(`customer/tenantId eq '${customerTenantId}'`)}`,
  );
  return res.body.value;
}

/** Creates a relationship, sends it and has the customer approve it at once: active GDAP. */
export async function grantGdap(
  emulator: Emulator,
  partnerTenantId: string,
  customerTenantId: string,
  options: { roles: string[]; displayName: string; duration?: string; autoExtend?: boolean },
): Promise<string> {
  const created = await graphCall<{ id: string }>(emulator, partnerTenantId, REL_PATH, {
    method: 'POST',
    body: {
      displayName: options.displayName,
      duration: options.duration ?? 'P730D',
      autoExtendDuration: options.autoExtend ? 'P180D' : 'PT0S',
      customer: { tenantId: customerTenantId },
      accessDetails: {
        unifiedRoles: options.roles.map((roleDefinitionId) => ({ roleDefinitionId })),
      },
    },
  });
  if (created.status !== 201) {
    throw new Error(`GDAP create failed: ${created.status} ${JSON.stringify(created.body)}`);
  }
  const id = created.body.id;
  await graphCall(emulator, partnerTenantId, `${REL_PATH}/${id}/requests`, {
    method: 'POST',
    body: { action: 'lockForApproval' },
  });
  emulator.control.gdap.approve(id);
  return id;
}

export const GDAP_STEP_FIELDS = /* GraphQL */ `
  gdap {
    action
    phase
    reason
    partnerTenantId
    relationshipId
    displayName
    approvalUrl
    status
    endsAt
    error
    assignments { securityGroupId assignmentId status }
  }
`;

export interface GdapStepView {
  action: string;
  phase: string;
  reason: string;
  partnerTenantId: string;
  relationshipId: string | null;
  displayName: string | null;
  approvalUrl: string | null;
  status: string | null;
  endsAt: string | null;
  error: string | null;
  assignments: { securityGroupId: string; assignmentId: string; status: string }[];
}
