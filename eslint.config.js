import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['node_modules', 'dist', 'data', 'bin', '.tmp', '.ci', '*.config.js', '.dependency-cruiser.cjs'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
    },
  },
  {
    // The core is pure: no I/O, no HTTP, no SQL. Enforced here and by dependency-cruiser.
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'node:fs',
                'node:fs/*',
                'fs',
                'node:net',
                'node:http',
                'pg',
                'kysely',
                'fastify',
                '@electric-sql/*',
              ],
              message: 'src/core is pure: no I/O.',
            },
            {
              group: ['**/store/**', '**/api/**', '**/ingest/**', '**/cli/**', '**/web/**'],
              message: 'core must not import outer layers.',
            },
          ],
        },
      ],
    },
  },
);
