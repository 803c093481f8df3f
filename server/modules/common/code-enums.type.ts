import { registerEnumType } from 'type-graphql';
import {
  type CodeKind,
  codesOfKind,
  ERROR_CODES,
  ERROR_CODES_DOC,
  type BlockerCode,
  type UserErrorCode,
} from '../../shared/error-codes.js';

// The GraphQL enums of the registered codes (server/shared/error-codes.ts): the typed siblings of
// the String `code` fields, which stay (the contract's `UserError.code: String!`, and clients that
// want to read codes added after they were generated).

function enumOf<C extends string>(kind: CodeKind): Record<C, C> {
  return Object.fromEntries(codesOfKind(kind).map((c) => [c, c])) as Record<C, C>;
}

function valuesConfig(kind: CodeKind): Record<string, { description: string }> {
  return Object.fromEntries(
    codesOfKind(kind).map((c) => {
      const e: { meaning: string; rule?: string } = ERROR_CODES[c];
      return [c, { description: e.rule ? `${e.meaning} (${e.rule})` : e.meaning }];
    }),
  );
}

/** Where every code is explained, for the schema descriptions. */
export const CODES_DOC_REFERENCE = `Every code and its meaning: ${ERROR_CODES_DOC} (generated from server/shared/error-codes.ts).`;

export const UserErrorCodeEnum = enumOf<UserErrorCode>('userError');
export const BlockerCodeEnum = enumOf<BlockerCode>('blocker');

registerEnumType(UserErrorCodeEnum, {
  name: 'UserErrorCode',
  description: `The code of a user error (\`UserError.codeEnum\`). Later releases add values: treat an unknown one like a generic failure and read \`code\`/\`message\`. ${CODES_DOC_REFERENCE}`,
  valuesConfig: valuesConfig('userError'),
});

registerEnumType(BlockerCodeEnum, {
  name: 'BlockerCode',
  description: `The code of a blocker (\`Blocker.codeEnum\`). Later releases add values: treat an unknown one like a generic blocker and read \`code\`/\`message\`. ${CODES_DOC_REFERENCE}`,
  valuesConfig: valuesConfig('blocker'),
});
