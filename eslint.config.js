import js from '@eslint/js';
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
      'bench/results',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
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
