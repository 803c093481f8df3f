import { mapSubscriptionStatus } from '../../partner-center/mapping.js';
import { type SubscriptionStatus } from '../../shared/enums.js';
import { type EngineDb } from '../../workflows/engine/db.types.js';
import { type WorkflowItemRow, type WorkflowRow } from '../../workflows/engine/engine.types.js';
import * as repo from '../../workflows/engine/workflow.repository.js';
import {
  AZURE_MAPPING,
  AZURE_PLAN,
  TRANSITION,
  type AzureMappingState,
  type AzurePlanData,
  type MappingItemData,
  type PlanItemData,
  type TransitionItemData,
} from './azure-plan.model.js';

export interface AzureLineView {
  commerceSubscriptionId: string;
  azureSubscriptionId: string;
  resellerMpnId: string | null;
  friendlyName: string | null;
  state: AzureMappingState;
  /** Engine status of the line's item. */
  status: string;
  detail: string | null;
  errorCode: string | null;
  upgradeId: string | null;
  planSubscriptionId: string | null;
  upgradedAt: string | null;
  verifiedAt: string | null;
  /** R-AZP-8: the entitlement as the API shows it. */
  entitlement: {
    azureSubscriptionId: string;
    commerceSubscriptionId: string;
    status: SubscriptionStatus;
    azurePlanSubscriptionId: string | null;
    commerceStatus: SubscriptionStatus;
    idsDiffer: boolean;
  };
}

export interface AzurePlanView {
  resellerMpnId: string | null;
  planSubscriptionId: string | null;
  state: string;
  lines: AzureLineView[];
}

const stateOf = (item: WorkflowItemRow): AzureMappingState => {
  if (item.status === 'FAILED') {
    return 'FAILED';
  }
  if (item.status === 'DONE') {
    return 'MAPPED';
  }
  return (
    ['PLANNED', 'UPGRADING', 'VERIFYING'].includes(item.state) ? item.state : 'PLANNED'
  ) as AzureMappingState;
};

/** What the API shows of an Azure plan transition: plans, lines, budget, billing impact. */
export class AzurePlanViewService {
  constructor(private readonly deps: { db: EngineDb }) {}

  data(row: WorkflowRow): AzurePlanData {
    return JSON.parse(row.dataJson) as AzurePlanData;
  }

  private line(item: WorkflowItemRow): AzureLineView {
    const d = JSON.parse(item.dataJson) as MappingItemData;
    const mapped = item.status === 'DONE';
    return {
      commerceSubscriptionId: d.commerceSubscriptionId,
      azureSubscriptionId: d.azureSubscriptionId,
      resellerMpnId: d.resellerMpnId,
      friendlyName: d.friendlyName,
      state: stateOf(item),
      status: item.status,
      detail: item.waitingReason ?? item.lastError,
      errorCode:
        item.status === 'FAILED' ? (d.errorCode ?? item.lastError?.split(':')[0] ?? null) : null,
      upgradeId: d.upgradeId ?? null,
      planSubscriptionId: d.planSubscriptionId ?? null,
      upgradedAt: d.upgradedAt ?? null,
      verifiedAt: d.verifiedAt ?? null,
      entitlement: {
        azureSubscriptionId: d.azureSubscriptionId,
        commerceSubscriptionId: d.commerceSubscriptionId,
        // Mapped: the Azure subscription is active on its plan (its commerce part is suspended).
        status: mapped ? mapSubscriptionStatus('active') : mapSubscriptionStatus(d.status),
        azurePlanSubscriptionId: mapped ? (d.planSubscriptionId ?? null) : null,
        commerceStatus: mapSubscriptionStatus(mapped ? 'suspended' : d.status),
        idsDiffer: d.azureSubscriptionId.toLowerCase() !== d.commerceSubscriptionId.toLowerCase(),
      },
    };
  }

  async lines(row: WorkflowRow): Promise<AzureLineView[]> {
    const items = await repo.listItems(this.deps.db, row.id);
    return items.filter((i) => i.kind === AZURE_MAPPING).map((i) => this.line(i));
  }

  /** R-AZP-3: the plans, each with the entitlements it receives (mapped once verified). */
  async plans(row: WorkflowRow): Promise<AzurePlanView[]> {
    const items = await repo.listItems(this.deps.db, row.id);
    const lines = new Map(
      items.filter((i) => i.kind === AZURE_MAPPING).map((i) => [i.subject ?? '', this.line(i)]),
    );
    return items
      .filter((i) => i.kind === AZURE_PLAN)
      .map((i) => {
        const d = JSON.parse(i.dataJson) as PlanItemData;
        const mine = d.commerceSubscriptionIds.flatMap((id) => {
          const line = lines.get(id);
          return line ? [line] : [];
        });
        return {
          resellerMpnId: d.resellerMpnId,
          planSubscriptionId:
            d.planSubscriptionId ??
            mine.find((l) => l.planSubscriptionId)?.planSubscriptionId ??
            null,
          state: i.status === 'DONE' ? 'PURCHASED' : i.status === 'FAILED' ? 'FAILED' : 'PLANNED',
          lines: mine,
        };
      });
  }

  async transition(row: WorkflowRow): Promise<TransitionItemData | null> {
    const item = (await repo.listItems(this.deps.db, row.id)).find((i) => i.kind === TRANSITION);
    return item ? (JSON.parse(item.dataJson) as TransitionItemData) : null;
  }
}
