import { z } from 'zod';
import type { RoleAssignmentRecord } from '../core/model.js';
import { ciObject, parseBody } from '../http/body.js';
import { json } from '../http/responses.js';
import type { PcRequest, PcRoute } from '../http/router.js';

/**
 * Azure Resource Manager role assignments on an Azure subscription, for the transfer clean-up
 * (R-TRF-8): list, get, create (PUT) and delete. Served at `/arm/subscriptions/...` and, through
 * msw, at `https://management.azure.com/subscriptions/...`. Errors use ARM's `{error:{code,message}}`.
 * A partner may act when it bills the Azure subscription or its Admin Agents group holds a role on it.
 */
function armError(status: number, code: string, message: string): Response {
  return json({ error: { code, message } }, status);
}

function view(r: RoleAssignmentRecord): Record<string, unknown> {
  return {
    id: `/subscriptions/${r.azureSubscriptionId}/providers/Microsoft.Authorization/roleAssignments/${r.name}`,
    name: r.name,
    type: 'Microsoft.Authorization/roleAssignments',
    properties: {
      roleDefinitionId: r.roleDefinitionId,
      principalId: r.principalId,
      principalType: r.principalType,
      scope: `/subscriptions/${r.azureSubscriptionId}`,
      condition: null,
      conditionVersion: null,
      createdOn: r.createdOn,
      updatedOn: r.updatedOn,
      createdBy: r.createdBy,
      updatedBy: r.createdBy,
      delegatedManagedIdentityResourceId: null,
      description: null,
    },
  };
}

type Guard = { ok: true; azureId: string } | { ok: false; response: Response };

function guard(req: PcRequest): Guard {
  if (!req.query('api-version')) {
    return {
      ok: false,
      response: armError(
        400,
        'MissingApiVersionParameter',
        'The api-version query parameter (?api-version=) is required for all requests.',
      ),
    };
  }
  const azureId = (req.params.azureSubscriptionId ?? '').toLowerCase();
  const azure = req.rt.store.azureSubscriptions.get(azureId);
  if (!azure) {
    return {
      ok: false,
      response: armError(
        404,
        'SubscriptionNotFound',
        `The subscription '${azureId}' could not be found.`,
      ),
    };
  }
  const billing = req.rt.store.activeLink(azureId);
  const billedBy = billing
    ? req.rt.store.subscriptions.get(billing.subscriptionId)?.partnerTenantId
    : undefined;
  const hasRole = req.rt.store
    .assignmentsFor(azureId)
    .some((r) => r.principalId === req.tenant.adminAgentsGroupId);
  if (billedBy !== req.tenant.tenantId && !hasRole) {
    return {
      ok: false,
      response: armError(
        403,
        'AuthorizationFailed',
        `The client from tenant '${req.tenant.tenantId}' does not have authorization to perform action 'Microsoft.Authorization/roleAssignments/read' over scope '/subscriptions/${azureId}'.`,
      ),
    };
  }
  return { ok: true, azureId };
}

const putSchema = ciObject({
  properties: ciObject({
    roleDefinitionId: z.string().min(1),
    principalId: z.string().min(1),
    principalType: z.string().optional(),
  }),
});

export function armHandlers(): PcRoute[] {
  const base =
    '/arm/subscriptions/:azureSubscriptionId/providers/Microsoft.Authorization/roleAssignments';
  return [
    {
      method: 'GET',
      pattern: base,
      family: 'arm',
      handle: (req) => {
        const g = guard(req);
        if (!g.ok) {
          return g.response;
        }
        return json({ value: req.rt.store.assignmentsFor(g.azureId).map(view) });
      },
    },
    {
      method: 'GET',
      pattern: `${base}/:name`,
      family: 'arm',
      handle: (req) => {
        const g = guard(req);
        if (!g.ok) {
          return g.response;
        }
        const r = req.rt.store.roleAssignments.get((req.params.name ?? '').toLowerCase());
        return r && r.azureSubscriptionId === g.azureId
          ? json(view(r))
          : armError(404, 'RoleAssignmentNotFound', 'The role assignment does not exist.');
      },
    },
    {
      method: 'PUT',
      pattern: `${base}/:name`,
      family: 'arm',
      handle: (req) => {
        const g = guard(req);
        if (!g.ok) {
          return g.response;
        }
        let body;
        try {
          body = parseBody(req.bodyText, putSchema);
        } catch {
          return armError(
            400,
            'InvalidRequestContent',
            'The request content must have properties.roleDefinitionId and properties.principalId.',
          );
        }
        const name = (req.params.name ?? '').toLowerCase();
        const existing = req.rt.store
          .assignmentsFor(g.azureId)
          .find(
            (r) =>
              r.principalId === body.properties.principalId &&
              r.roleDefinitionId.toLowerCase() === body.properties.roleDefinitionId.toLowerCase(),
          );
        if (existing) {
          return armError(409, 'RoleAssignmentExists', 'The role assignment already exists.');
        }
        const now = req.rt.nowIso();
        const record: RoleAssignmentRecord = {
          name,
          azureSubscriptionId: g.azureId,
          roleDefinitionId: body.properties.roleDefinitionId,
          principalId: body.properties.principalId,
          principalType: body.properties.principalType ?? 'ForeignGroup',
          createdOn: now,
          updatedOn: now,
          createdBy: req.tenant.adminAgentsGroupId,
        };
        req.rt.store.addRoleAssignment(record);
        return json(view(record), 201);
      },
    },
    {
      method: 'DELETE',
      pattern: `${base}/:name`,
      family: 'arm',
      handle: (req) => {
        const g = guard(req);
        if (!g.ok) {
          return g.response;
        }
        const r = req.rt.store.roleAssignments.get((req.params.name ?? '').toLowerCase());
        if (!r || r.azureSubscriptionId !== g.azureId) {
          // ARM answers 204 when there is nothing to delete.
          return new Response(null, { status: 204 });
        }
        req.rt.store.removeRoleAssignment(r.name);
        return json(view(r));
      },
    },
  ];
}
