import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';

// GraphQL of the consolidation's paths (issue 15 item 4): additive to the contract.

export enum ConsolidationPath {
  TRANSFER = 'TRANSFER',
  REPROVISION = 'REPROVISION',
  SUPPORT_MIGRATION = 'SUPPORT_MIGRATION',
  AZURE_PLAN_THEN_TRANSFER = 'AZURE_PLAN_THEN_TRANSFER',
  NONE = 'NONE',
}
registerEnumType(ConsolidationPath, {
  name: 'ConsolidationPath',
  description:
    'How one source subscription moves to the target tenant, chosen per subscription (docs/consolidation-paths.md).',
  valuesConfig: {
    TRANSFER: {
      description:
        "Partner-to-partner transfer created by the target and accepted by the source (new-commerce licenses, Azure plans; Microsoft's consolidation tutorial): same seats, term end and billing cycle, no overlap.",
    },
    REPROVISION: {
      description:
        'Re-created under the target with the same offer and seats, then suspended at the source the same day (R-CON-3/4): legacy license offers, or forced by the partner.',
    },
    SUPPORT_MIGRATION: {
      description: 'Moved by Microsoft support with its resources (R-CON-6): legacy Azure (0145P).',
    },
    AZURE_PLAN_THEN_TRANSFER: {
      description:
        'Legacy Azure moved to the Azure plan at the source first (product upgrade), then transferred: one plan, in that order.',
    },
    NONE: { description: 'Nothing to move (suspended, deleted or expired at planning).' },
  },
});

export enum LegacyAzurePath {
  SUPPORT_MIGRATION = 'SUPPORT_MIGRATION',
  AZURE_PLAN_THEN_TRANSFER = 'AZURE_PLAN_THEN_TRANSFER',
}
registerEnumType(LegacyAzurePath, {
  name: 'LegacyAzurePath',
  description: 'What a consolidation does with legacy Azure (MS-AZR-0145P) subscriptions.',
  valuesConfig: {
    SUPPORT_MIGRATION: { description: 'Microsoft support migrates them (R-CON-6). The default.' },
    AZURE_PLAN_THEN_TRANSFER: {
      description: 'Azure plan transition at the source first, then a partner-to-partner transfer.',
    },
  },
});

@InputType('ConsolidationPlanOptionsInput', {
  description: 'Partner choices of a consolidation plan; every field is optional.',
})
export class ConsolidationPlanOptionsInput {
  @Field(() => Boolean, {
    nullable: true,
    description:
      'Re-provision (R-CON-3/4) even the subscriptions a transfer could move (default false).',
  })
  forceReprovision?: boolean | null;

  @Field(() => LegacyAzurePath, {
    nullable: true,
    description: 'Path of legacy Azure subscriptions (default SUPPORT_MIGRATION).',
  })
  legacyAzure?: LegacyAzurePath | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'Only this transfer wave (1-based) of source tenants with more than 300 subscriptions to transfer (see TenantConsolidation.transferWaves).',
  })
  wave?: number | null;
}

@ObjectType('ConsolidationTransferWave', {
  description:
    "One wave of a source tenant's transfer subscriptions (Microsoft: at most 300 per tenant in one consolidation).",
})
export class ConsolidationTransferWave {
  @Field(() => String, { description: 'The source partner tenant id.' })
  sourceTenantId!: string;

  @Field(() => Int, { description: 'Wave number, from 1; plan it with options.wave.' })
  wave!: number;

  @Field(() => Int, { description: 'Customers with subscriptions in this wave.' })
  customers!: number;

  @Field(() => Int, { description: 'Subscriptions to transfer in this wave.' })
  subscriptions!: number;

  @Field(() => Boolean, { description: 'Whether this plan moves this wave.' })
  planned!: boolean;
}
