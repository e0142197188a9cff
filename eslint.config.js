// Lint rules CI enforces (npm run lint). typescript-eslint's recommended set without type
// information keeps the run fast; the type checker (npm run typecheck) covers the rest.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'prisma/generated/', '.tmp/', 'data/', 'test/artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      'no-console': 'error',
    },
  },
  {
    // Command-line scripts and benchmarks print their results.
    files: ['scripts/**', 'bench/**', 'server/public/**'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['server/public/**/*.js'],
    languageOptions: { globals: globals.browser },
  },
);
