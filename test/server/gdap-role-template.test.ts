import { describe, expect, it } from 'vitest';
import {
  DEFAULT_GDAP_ROLE_TEMPLATE,
  GDAP_ROLES,
  validateGdapRoleTemplate,
} from '../../server/graph/gdap-role-template.js';

const GROUP = '6f1a3c52-0d7e-4b7a-9d55-2a0e8c1b9f10';

function fields(result: ReturnType<typeof validateGdapRoleTemplate>): string[] {
  return result.ok ? [] : result.error.map((e) => `${e.code}@${e.field?.join('.') ?? ''}`);
}

describe('GDAP role template validation', () => {
  it('the default template is valid, least privilege, auto-extending, two years', () => {
    const result = validateGdapRoleTemplate(DEFAULT_GDAP_ROLE_TEMPLATE);
    expect(result.ok && result.value).toMatchObject({ duration: 'P730D', autoExtend: true });
    expect(result.ok && result.value.roleIds).not.toContain(GDAP_ROLES['Global Administrator']);
  });

  it('names by role name or GUID, one year = P365D', () => {
    const result = validateGdapRoleTemplate({
      roles: ['user administrator', GDAP_ROLES['Directory Readers']!],
      duration: 'P1Y',
      autoExtend: false,
      accessAssignments: [{ securityGroupId: GROUP, roles: ['Directory Readers'] }],
    });
    expect(result.ok && result.value).toEqual({
      roleIds: [GDAP_ROLES['User Administrator'], GDAP_ROLES['Directory Readers']],
      duration: 'P365D',
      autoExtend: false,
      accessAssignments: [{ securityGroupId: GROUP, roleIds: [GDAP_ROLES['Directory Readers']] }],
    });
  });

  it('each error names its field', () => {
    expect(
      fields(
        validateGdapRoleTemplate({
          roles: ['Global Administrator', 'Coffee Maker'],
          duration: 'P731D',
          autoExtend: true,
          accessAssignments: [{ securityGroupId: 'admins', roles: ['License Administrator'] }],
        }),
      ),
    ).toEqual([
      'GDAP_ROLE_UNKNOWN@input.roles.1',
      'GDAP_DURATION_INVALID@input.duration',
      'GDAP_AUTO_EXTEND_GLOBAL_ADMIN@input.autoExtend',
      'GDAP_GROUP_INVALID@input.accessAssignments.0.securityGroupId',
      'GDAP_ASSIGNMENT_ROLE_NOT_IN_TEMPLATE@input.accessAssignments.0.roles.0',
    ]);
    expect(
      fields(
        validateGdapRoleTemplate({
          roles: [],
          duration: 'P0D',
          autoExtend: false,
          accessAssignments: [],
        }),
      ),
    ).toEqual(['GDAP_ROLES_REQUIRED@input.roles', 'GDAP_DURATION_INVALID@input.duration']);
    expect(
      fields(
        validateGdapRoleTemplate({
          roles: ['Directory Readers'],
          duration: '2 years',
          autoExtend: false,
          accessAssignments: [],
        }),
      ),
    ).toEqual(['GDAP_DURATION_INVALID@input.duration']);
  });
});
