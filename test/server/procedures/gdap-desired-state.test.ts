import { describe, expect, it } from 'vitest';
import { type GdapRelationship } from '../../../server/graph/gdap.contracts.js';
import { type GdapRoleTemplate } from '../../../server/graph/gdap-role-template.js';
import {
  decideGdap,
  gdapDisplayName,
} from '../../../server/procedures/shared/gdap/gdap-desired-state.js';

const READERS = '88d8e3e3-8f55-4a1e-953a-9b9898b8876b';
const LICENSE = '4d6ac14f-3453-41d0-bef9-a3e0c569773a';
const GA = '62e90394-69f5-4237-9190-012177145e10';
const NOW = new Date('2026-01-05T08:00:00Z');

const template = (autoExtend: boolean): GdapRoleTemplate => ({
  roleIds: [READERS, LICENSE],
  duration: 'P730D',
  autoExtend,
  accessAssignments: [],
});

function rel(
  extra: Partial<GdapRelationship> & { roles?: string[]; endsInDays?: number },
): GdapRelationship {
  const { roles = [READERS, LICENSE], endsInDays = 400, ...rest } = extra;
  return {
    id: rest.id ?? 'r1',
    displayName: rest.displayName ?? 'Existing',
    duration: 'P730D',
    status: 'active',
    autoExtendDuration: 'PT0S',
    activatedDateTime: '2025-06-01T00:00:00Z',
    endDateTime: new Date(NOW.getTime() + endsInDays * 86_400_000).toISOString(),
    customer: { tenantId: 'c1' },
    accessDetails: { unifiedRoles: roles.map((roleDefinitionId) => ({ roleDefinitionId })) },
    ...rest,
  } as GdapRelationship;
}

describe('GDAP desired state', () => {
  it('reuses an active relationship that holds every role and lasts', () => {
    expect(decideGdap([rel({ roles: [READERS, LICENSE, GA] })], template(false), NOW).action).toBe(
      'REUSE',
    );
    expect(decideGdap([rel({ autoExtendDuration: 'P180D' })], template(true), NOW)).toMatchObject({
      action: 'REUSE',
      relationship: { id: 'r1' },
    });
  });

  it('extends one that does not auto-extend when the template asks for it (never with Global Administrator)', () => {
    expect(decideGdap([rel({})], template(true), NOW).action).toBe('EXTEND');
    expect(decideGdap([rel({ roles: [READERS, LICENSE, GA] })], template(true), NOW).action).toBe(
      'CREATE',
    );
  });

  it('creates when roles are missing, the relationship ends soon, or it is not live', () => {
    expect(decideGdap([rel({ roles: [READERS] })], template(false), NOW).action).toBe('CREATE');
    expect(decideGdap([rel({ endsInDays: 10 })], template(false), NOW).action).toBe('CREATE');
    expect(
      decideGdap([rel({ status: 'expired' }), rel({ status: 'terminated' })], template(false), NOW)
        .action,
    ).toBe('CREATE');
    expect(decideGdap([], template(true), NOW).action).toBe('CREATE');
  });

  it('waits for a pending request of ours that holds the roles', () => {
    expect(
      decideGdap([rel({ status: 'approvalPending', activatedDateTime: null })], template(true), NOW)
        .action,
    ).toBe('AWAIT');
  });

  it('names relationships within Graph limits, deterministically', () => {
    const name = gdapDisplayName(
      'A very long company name that goes on and on GmbH & Co. KG',
      'wf-123456',
      'item-abcd',
    );
    expect(name.length).toBeLessThanOrEqual(50);
    expect(name).toBe(
      gdapDisplayName(
        'A very long company name that goes on and on GmbH & Co. KG',
        'wf-123456',
        'item-abcd',
      ),
    );
    expect(name).not.toBe(
      gdapDisplayName(
        'A very long company name that goes on and on GmbH & Co. KG',
        'wf-123456',
        'item-abce',
      ),
    );
  });
});
