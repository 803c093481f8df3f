import { err, ok, type DomainError, type Result } from '../shared/result.js';

/** Entra built-in roles a GDAP template may name (id = the role template id Graph expects). */
export const GDAP_ROLES: Readonly<Record<string, string>> = {
  'Global Administrator': '62e90394-69f5-4237-9190-012177145e10',
  'Directory Readers': '88d8e3e3-8f55-4a1e-953a-9b9898b8876b',
  'Global Reader': 'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
  'User Administrator': 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  'License Administrator': '4d6ac14f-3453-41d0-bef9-a3e0c569773a',
  'Helpdesk Administrator': '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  'Billing Administrator': 'b0f54661-2d74-4c50-afa3-1ec803f12efe',
  'Service Support Administrator': 'f023fd81-a637-4b56-95fd-791ac0226033',
  'Privileged Role Administrator': 'e8611ab8-c189-46e8-94e1-60213ab1f814',
  'Exchange Administrator': '29232cdf-9323-42fd-ade2-1d097af3e4de',
};

const GLOBAL_ADMIN = '62e90394-69f5-4237-9190-012177145e10';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface GdapRoleTemplateInput {
  roles: string[];
  duration: string;
  autoExtend: boolean;
  accessAssignments: { securityGroupId: string; roles: string[] }[];
}

export interface GdapRoleTemplate {
  roleIds: string[];
  /** ISO 8601 days, as Graph stores `duration` (e.g. P730D). */
  duration: string;
  autoExtend: boolean;
  accessAssignments: { securityGroupId: string; roleIds: string[] }[];
}

/**
 * Least privilege for the procedures (guess, to justify in docs/gdap.md): reading the directory,
 * managing users and licences, helpdesk; no Global Administrator so the relationship can
 * auto-extend (Graph refuses P180D auto-extension with Global Administrator).
 */
export const DEFAULT_GDAP_ROLE_TEMPLATE: GdapRoleTemplateInput = {
  roles: [
    'Directory Readers',
    'User Administrator',
    'License Administrator',
    'Helpdesk Administrator',
  ],
  duration: 'P730D',
  autoExtend: true,
  accessAssignments: [],
};

function durationDays(duration: string): number | null {
  const match = /^P(?:(\d+)Y)?(?:(\d+)D)?$/.exec(duration);
  if (!match || (match[1] === undefined && match[2] === undefined)) {
    return null;
  }
  return Number(match[1] ?? 0) * 365 + Number(match[2] ?? 0);
}

function roleId(role: string): string | null {
  const byName = Object.entries(GDAP_ROLES).find(
    ([name]) => name.toLowerCase() === role.trim().toLowerCase(),
  );
  if (byName) {
    return byName[1];
  }
  const known = Object.values(GDAP_ROLES).find(
    (id) => id.toLowerCase() === role.trim().toLowerCase(),
  );
  return known ?? null;
}

/** Validates a template; every error names the input field it is about. */
export function validateGdapRoleTemplate(
  input: GdapRoleTemplateInput,
): Result<GdapRoleTemplate, DomainError[]> {
  const errors: DomainError[] = [];
  const roleIds: string[] = [];
  if (input.roles.length === 0) {
    errors.push({
      code: 'GDAP_ROLES_REQUIRED',
      message: 'Name at least one role.',
      field: ['input', 'roles'],
    });
  }
  input.roles.forEach((role, index) => {
    const id = roleId(role);
    if (!id) {
      errors.push({
        code: 'GDAP_ROLE_UNKNOWN',
        // The value is not repeated back (it may carry markup or control characters).
        message: GUID.test(role)
          ? `Role ${index + 1} is not one of the built-in roles GDAP templates accept.`
          : `Role ${index + 1} is not a known built-in role: give its name (License Administrator, …) or its role id.`,
        field: ['input', 'roles', String(index)],
      });
    } else if (!roleIds.includes(id)) {
      roleIds.push(id);
    }
  });
  const days = durationDays(input.duration);
  if (days === null || days < 1 || days > 730) {
    errors.push({
      code: 'GDAP_DURATION_INVALID',
      message: 'Duration must be an ISO 8601 duration between P1D and P2Y (P730D).',
      field: ['input', 'duration'],
    });
  }
  if (input.autoExtend && roleIds.includes(GLOBAL_ADMIN)) {
    errors.push({
      code: 'GDAP_AUTO_EXTEND_GLOBAL_ADMIN',
      message: 'A relationship with Global Administrator cannot auto-extend.',
      field: ['input', 'autoExtend'],
    });
  }
  const accessAssignments = input.accessAssignments.map((assignment, index) => {
    if (!GUID.test(assignment.securityGroupId)) {
      errors.push({
        code: 'GDAP_GROUP_INVALID',
        message: 'A security group is named by its object id (GUID).',
        field: ['input', 'accessAssignments', String(index), 'securityGroupId'],
      });
    }
    const ids = assignment.roles.map((role) => roleId(role));
    ids.forEach((id, roleIndex) => {
      if (!id || !roleIds.includes(id)) {
        errors.push({
          code: 'GDAP_ASSIGNMENT_ROLE_NOT_IN_TEMPLATE',
          message: 'A security group can only get roles of the template.',
          field: ['input', 'accessAssignments', String(index), 'roles', String(roleIndex)],
        });
      }
    });
    return {
      securityGroupId: assignment.securityGroupId.toLowerCase(),
      roleIds: ids.filter((id): id is string => id !== null),
    };
  });
  if (errors.length > 0) {
    return err(errors);
  }
  return ok({ roleIds, duration: `P${days}D`, autoExtend: input.autoExtend, accessAssignments });
}
