import { type CodegenConfig } from '@graphql-codegen/cli';

// The console's typed client: graphql-codegen's client preset over the committed SDL. The output
// (console/src/gql/) is generated, not committed: `npm run console:codegen` (run by build, typecheck and
// the browser test), so a schema change that breaks an operation fails `npm run check`.
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: ['console/src/**/*.ts', 'console/src/**/*.tsx', '!console/src/gql/**'],
  ignoreNoDocuments: false,
  generates: {
    'console/src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        documentMode: 'string',
        useTypeImports: true,
        enumsAsTypes: true,
        strictScalars: true,
        scalars: { DateTime: 'string', ID: 'string' },
        avoidOptionals: false,
        skipTypename: false,
      },
    },
  },
};

export default config;
