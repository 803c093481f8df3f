import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from 'partner-center-emulator';
import { clockFrom } from '../../server/shared/clock.js';
import { PartnerRole } from '../../server/shared/enums.js';
import { gqlData, startTestApp, type TestApp } from '../support/app.js';
import { dialects } from '../support/dialects.js';
import { DEFAULT_TEMPLATE_ROLE_IDS, ROLE_IDS } from '../support/gdap.js';

const TEMPLATE_FIELDS = `roles { id name } duration autoExtend isDefault updatedBy updatedAt
  accessAssignments { securityGroupId roles { id name } }`;
const SET = /* GraphQL */ `
  mutation Set($input: SetGdapRoleTemplateInput!) {
    setGdapRoleTemplate(input: $input) {
      userErrors { code message field }
      template { ${TEMPLATE_FIELDS} }
    }
  }
`;
const READ = `{ viewer { organization { gdapRoleTemplate { ${TEMPLATE_FIELDS} } } } }`;
const REL_FIELDS =
  'relationshipId displayName status roles { id name } endsAt daysUntilEnd autoExtend customerTenantId partnerTenantId approvalUrl';

interface Template {
  roles: { id: string; name: string | null }[];
  duration: string;
  autoExtend: boolean;
  isDefault: boolean;
  updatedBy: string | null;
  accessAssignments: { securityGroupId: string; roles: { id: string }[] }[];
}
interface Rel {
  relationshipId: string;
  displayName: string;
  status: string;
  roles: { id: string; name: string | null }[];
  endsAt: string | null;
  daysUntilEnd: number | null;
  autoExtend: boolean;
  customerTenantId: string | null;
  partnerTenantId: string;
  approvalUrl: string | null;
}

const GROUP = '0b1c2d3e-4f50-4617-8283-94a5b6c7d8e9';

describe.each(dialects)(
  'GDAP role template, relationship views and expiry report (%s)',
  (dialect) => {
    let emulator: Emulator;
    let t: TestApp;
    let token: string;
    let organizationId: string;
    const tenantId = (name: string) =>
      emulator.control.partners().find((p) => p.name === name)?.tenantId as string;
    const tenantGlobalId = async (tid: string) => {
      const data = await gqlData<{
        viewer: { organization: { partnerTenants: { id: string; tenantId: string }[] } };
      }>(t, '{ viewer { organization { partnerTenants { id tenantId } } } }', { token });
      return data?.viewer.organization.partnerTenants.find((p) => p.tenantId === tid)?.id as string;
    };

    beforeAll(async () => {
      emulator = createEmulator({ scenario: 'demo', seed: 7 });
      t = await startTestApp({
        emulator,
        clock: clockFrom(emulator.clock),
        env: { WORKFLOW_RUNNER: 'off', GDAP: 'required' },
        dialect,
      });
      organizationId = emulator.control.partners().find((p) => p.labels.includes('central'))
        ?.organizationId as string;
      token = await t.token(organizationId);
    });

    afterAll(async () => {
      await t.close();
    });

    it('reads the default template until one is set', async () => {
      const data = await gqlData<{ viewer: { organization: { gdapRoleTemplate: Template } } }>(
        t,
        READ,
        {
          token,
        },
      );
      const template = data?.viewer.organization.gdapRoleTemplate as Template;
      expect(template.isDefault).toBe(true);
      expect(template.roles.map((r) => r.id)).toEqual(DEFAULT_TEMPLATE_ROLE_IDS);
      expect(template.roles.map((r) => r.name)).toContain('User Administrator');
      expect(template).toMatchObject({
        duration: 'P730D',
        autoExtend: true,
        accessAssignments: [],
      });
    });

    it('refuses a bad template with a userError per field and changes nothing', async () => {
      const res = await gqlData<{
        setGdapRoleTemplate: { userErrors: { code: string; field: string[] }[]; template: unknown };
      }>(t, SET, {
        token,
        variables: {
          input: {
            roles: ['Global Administrator', 'Chief Coffee Officer'],
            duration: 'P3Y',
            autoExtend: true,
            accessAssignments: [
              { securityGroupId: 'not-a-guid', roles: ['Helpdesk Administrator'] },
            ],
          },
        },
      });
      expect(res?.setGdapRoleTemplate.template).toBeNull();
      const errors = res?.setGdapRoleTemplate.userErrors ?? [];
      expect(errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ code: 'GDAP_ROLE_UNKNOWN', field: ['input', 'roles', '1'] }),
          expect.objectContaining({ code: 'GDAP_DURATION_INVALID', field: ['input', 'duration'] }),
          expect.objectContaining({
            code: 'GDAP_AUTO_EXTEND_GLOBAL_ADMIN',
            field: ['input', 'autoExtend'],
          }),
          expect.objectContaining({
            code: 'GDAP_GROUP_INVALID',
            field: ['input', 'accessAssignments', '0', 'securityGroupId'],
          }),
          expect.objectContaining({
            code: 'GDAP_ASSIGNMENT_ROLE_NOT_IN_TEMPLATE',
            field: ['input', 'accessAssignments', '0', 'roles', '0'],
          }),
        ]),
      );
      const empty = await gqlData<{
        setGdapRoleTemplate: { userErrors: { code: string; field: string[] }[] };
      }>(t, SET, {
        token,
        variables: { input: { roles: [], duration: 'P0D', autoExtend: false } },
      });
      expect(empty?.setGdapRoleTemplate.userErrors.map((e) => e.code)).toEqual([
        'GDAP_ROLES_REQUIRED',
        'GDAP_DURATION_INVALID',
      ]);
      const after = await gqlData<{ viewer: { organization: { gdapRoleTemplate: Template } } }>(
        t,
        READ,
        {
          token,
        },
      );
      expect(after?.viewer.organization.gdapRoleTemplate.isDefault).toBe(true);
    });

    it('needs GLOBAL_ADMIN or ADMIN_AGENT to set it', async () => {
      const sales = await t.token(organizationId, [PartnerRole.SALES_AGENT]);
      const res = await t.gql(SET, {
        token: sales,
        variables: { input: { roles: ['Directory Readers'], duration: 'P30D', autoExtend: false } },
      });
      expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });

    it('stores a valid template, reads it back, and logs the change', async () => {
      const res = await gqlData<{
        setGdapRoleTemplate: { userErrors: unknown[]; template: Template };
      }>(t, SET, {
        token,
        variables: {
          input: {
            roles: ['License Administrator', ROLE_IDS.helpdeskAdministrator, 'directory readers'],
            duration: 'P1Y',
            autoExtend: false,
            accessAssignments: [
              { securityGroupId: GROUP.toUpperCase(), roles: ['Helpdesk Administrator'] },
            ],
          },
        },
      });
      expect(res?.setGdapRoleTemplate.userErrors).toEqual([]);
      const expected = {
        roles: [
          { id: ROLE_IDS.licenseAdministrator, name: 'License Administrator' },
          { id: ROLE_IDS.helpdeskAdministrator, name: 'Helpdesk Administrator' },
          { id: ROLE_IDS.directoryReaders, name: 'Directory Readers' },
        ],
        duration: 'P365D',
        autoExtend: false,
        isDefault: false,
        updatedBy: `user-of-${organizationId}`,
        accessAssignments: [
          { securityGroupId: GROUP, roles: [{ id: ROLE_IDS.helpdeskAdministrator }] },
        ],
      };
      expect(res?.setGdapRoleTemplate.template).toMatchObject(expected);
      const read = await gqlData<{ viewer: { organization: { gdapRoleTemplate: Template } } }>(
        t,
        READ,
        {
          token,
        },
      );
      expect(read?.viewer.organization.gdapRoleTemplate).toMatchObject(expected);
      const log = await gqlData<{
        activityLog: { edges: { node: { operation: string; details: string } }[] };
      }>(t, '{ activityLog(first: 100) { edges { node { operation details } } } }', { token });
      const entry = log?.activityLog.edges.find(
        (e) => e.node.operation === 'set_gdap_role_template',
      );
      expect(entry?.node.details).toContain('P365D');
    });

    it("shows a customer's GDAP relationships with its partner tenant", async () => {
      const fr = tenantId('Contoso Cloud France');
      const alpine = emulator.control.customers().find((c) => c.companyName.startsWith('Alpine'));
      expect(alpine).toBeDefined();
      const data = await gqlData<{
        customers: { edges: { node: { tenantId: string; gdapRelationships: Rel[] } }[] };
      }>(
        t,
        `query($id: ID!) { customers(partnerTenantId: $id, first: 100) { edges { node { tenantId gdapRelationships { ${REL_FIELDS} } } } } }`,
        { token, variables: { id: await tenantGlobalId(fr) } },
      );
      const node = data?.customers.edges.find((e) => e.node.tenantId === alpine?.tenantId)?.node;
      expect(node?.gdapRelationships).toHaveLength(1);
      const rel = node?.gdapRelationships[0] as Rel;
      expect(rel).toMatchObject({
        displayName: 'Contoso FR - Alpine Foods',
        status: 'active',
        autoExtend: false,
        customerTenantId: alpine?.tenantId,
        partnerTenantId: fr,
        approvalUrl: null,
      });
      // Seeded 120 days ago for P730D: 610 days left.
      expect(rel.daysUntilEnd).toBe(610);
      expect(rel.endsAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
      expect(rel.roles.map((r) => r.name)).toContain('License Administrator');
    });

    it('reports the relationships that end within N days and do not auto-extend', async () => {
      const report = async (name: string, withinDays: number) => {
        const data = await gqlData<{ gdapExpiringRelationships: Rel[] }>(
          t,
          `query($id: ID!, $d: Int!) { gdapExpiringRelationships(partnerTenantId: $id, withinDays: $d) { ${REL_FIELDS} } }`,
          { token, variables: { id: await tenantGlobalId(tenantId(name)), d: withinDays } },
        );
        return data?.gdapExpiringRelationships ?? [];
      };
      // Bergmann's (Contoso DE, P365D seeded 200 days ago) ends in 165 days.
      expect((await report('Contoso Cloud Deutschland', 170)).map((r) => r.displayName)).toEqual([
        'Contoso DE - Bergmann (GA)',
      ]);
      expect(await report('Contoso Cloud Deutschland', 160)).toEqual([]);
      // Bastide's auto-extends (never listed); Alpine Foods' ends in 610 days.
      expect((await report('Contoso Cloud France', 700)).map((r) => r.displayName)).toEqual([
        'Contoso FR - Alpine Foods',
      ]);
      const bad = await t.gql(
        'query($id: ID!) { gdapExpiringRelationships(partnerTenantId: $id, withinDays: 5000) { relationshipId } }',
        { token, variables: { id: await tenantGlobalId(tenantId('Contoso Cloud France')) } },
      );
      expect(bad.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      const other = await t.gql(
        'query { gdapExpiringRelationships(partnerTenantId: "nope", withinDays: 5) { relationshipId } }',
        { token },
      );
      expect(other.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });
  },
);
