import { registerEnumType } from 'type-graphql';
import { ACTIVITY_OPERATIONS } from '../../shared/activity-operations.js';

// The typed siblings of `ActivityEntry.source` and `ActivityEntry.operation` (issue 19).

export enum ActivitySource {
  PRODUCT = 'PRODUCT',
  PARTNER_CENTER_AUDIT = 'PARTNER_CENTER_AUDIT',
}

registerEnumType(ActivitySource, {
  name: 'ActivitySource',
  description: 'Where an activity entry comes from.',
  valuesConfig: {
    PRODUCT: { description: 'This API made the change.' },
    PARTNER_CENTER_AUDIT: { description: 'Read from the Partner Center audit log.' },
  },
});

const origin = {
  product: 'ours',
  partnerCenter: 'Partner Center audit',
  both: 'ours and Partner Center audit',
};

/** `ActivityOperation`: the known operations in capitals, and UNKNOWN (the set stays open). */
export const ActivityOperationEnum: Record<string, string> = {
  ...Object.fromEntries(
    Object.keys(ACTIVITY_OPERATIONS).map((k) => [k.toUpperCase(), k.toUpperCase()]),
  ),
  UNKNOWN: 'UNKNOWN',
};

registerEnumType(ActivityOperationEnum, {
  name: 'ActivityOperation',
  description:
    "What an activity entry records: our operations and the Partner Center audit operation types we know (`operation` in capitals). Partner Center's set is open: an operation not listed here is UNKNOWN, and `ActivityEntry.operation` has its raw name.",
  valuesConfig: {
    ...Object.fromEntries(
      Object.entries(ACTIVITY_OPERATIONS).map(([k, [from, meaning]]) => [
        k.toUpperCase(),
        { description: `${meaning} (${origin[from]}: \`${k}\`)` },
      ]),
    ),
    UNKNOWN: {
      description: 'A Partner Center audit operation type not listed here; `operation` has it.',
    },
  },
});
