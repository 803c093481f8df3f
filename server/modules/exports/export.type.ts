import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from '../../shared/scalars.js';
import { ActivityLogFilter } from '../activity-log/activity.type.js';
import { BasicUserError, UserError } from '../common/common.type.js';

export enum ExportFormat {
  CSV = 'CSV',
  XLSX = 'XLSX',
}
registerEnumType(ExportFormat, {
  name: 'ExportFormat',
  description: 'File format of an export.',
  valuesConfig: {
    CSV: { description: 'UTF-8 CSV (RFC 4180) with a header row.' },
    XLSX: { description: 'Excel workbook with one sheet and a header row.' },
  },
});

@ObjectType('Export', {
  description: 'A generated file; download it from `url` with the same bearer token.',
})
export class Export {
  @Field(() => String, { description: 'Suggested file name.' })
  fileName!: string;

  @Field(() => String, { description: 'MIME type.' })
  contentType!: string;

  @Field(() => Int, { description: 'Data rows (the header row not counted).' })
  rowCount!: number;

  @Field(() => String, {
    description:
      'Where to GET the file, with `Authorization: Bearer <token>`; it answers 404 from `expiresAt` on (7 days after the export).',
  })
  url!: string;

  @Field(() => DateTimeScalar, {
    description:
      'When the download link expires: from this instant on `url` answers 404 (the file is then deleted).',
  })
  expiresAt!: Date;
}

@ObjectType('ExportPayload', { description: 'The export, or why it could not be made.' })
export class ExportPayload {
  @Field(() => Export, { nullable: true, description: 'The generated file.' })
  export!: Export | null;

  @Field(() => [UserError], { description: 'Business failures; empty on success.' })
  userErrors!: BasicUserError[];
}

@InputType('ExportSubscriptionsInput', {
  description: "A partner tenant's customers and their subscriptions.",
})
export class ExportSubscriptionsInput {
  @Field(() => ID, { description: 'Global id of the partner tenant.' })
  partnerTenantId!: string;

  @Field(() => ID, { nullable: true, description: 'Only this customer (global Customer id).' })
  customerId?: string | null;

  @Field(() => ExportFormat, { description: 'CSV or XLSX.' })
  format!: ExportFormat;
}

@InputType('ExportCustomersInput', {
  description:
    'Every customer of a partner tenant, one row each, those without subscriptions included (R-CON-9).',
})
export class ExportCustomersInput {
  @Field(() => ID, { description: 'Global id of the partner tenant.' })
  partnerTenantId!: string;

  @Field(() => ExportFormat, { description: 'CSV or XLSX.' })
  format!: ExportFormat;
}

@InputType('ExportActivityLogInput', { description: 'The activity log, filtered.' })
export class ExportActivityLogInput {
  @Field(() => ActivityLogFilter, {
    nullable: true,
    description: 'Date range, customer search, workflow.',
  })
  filter?: ActivityLogFilter | null;

  @Field(() => ExportFormat, { description: 'CSV or XLSX.' })
  format!: ExportFormat;
}

@InputType('ExportConsolidationInventoryInput', {
  description: 'The inventory of a tenant consolidation (R-CON-1).',
})
export class ExportConsolidationInventoryInput {
  @Field(() => ID, { description: 'Global id of the TenantConsolidation.' })
  workflowId!: string;

  @Field(() => ExportFormat, { description: 'CSV or XLSX.' })
  format!: ExportFormat;
}
