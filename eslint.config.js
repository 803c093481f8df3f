import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'dist',
      'emulator/dist',
      'data',
      'coverage',
      'schema/migrations',
      'test/codegen/generated',
      'console/src/gql',
      'bench/results',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      curly: ['error', 'all'],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // The layering (docs/seams.md): no import cycles, and imports only downwards. `no-cycle`
    // follows value imports; `npm run lint:cycles` (madge) also follows type imports.
    files: ['server/**/*.ts', 'emulator/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './server/**/*.resolver.ts',
              from: ['./server/**/*.repository.ts', './server/partner-center/client.ts*'],
              message: 'Resolvers call services, never repositories or the Partner Center client.',
            },
            {
              target: './server/procedures',
              from: './server/app',
              message: 'Procedures sit below the application: app/ composes them, not the reverse.',
            },
            {
              target: './server/workflows',
              from: './server/procedures',
              message: 'The engine runs any procedure and imports none (register it instead).',
            },
          ],
        },
      ],
    },
  },
  {
    // Resolvers never reach past the service layer (ARCHITECTURE.md, Layers).
    files: ['server/**/*.resolver.ts', 'server/**/*.type.ts', 'server/**/*.input.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            'drizzle-orm',
            'drizzle-orm/*',
            '**/partner-center/*',
            '**/schema/db.js',
            '**/db/*',
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
