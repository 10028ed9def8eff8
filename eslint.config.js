import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

/** Libraries of plain functions: generation, SLO maths, contracts (and the maths of finops to come). */
const PURE_LIBS = ['slo', 'rules', 'dashboards', 'pipeline', 'contracts'];

const LIB_IMPORT_PATTERNS = [
  {
    group: ['@burnrate/*/*', '!@burnrate/*/testing'],
    message: 'Import a lib through its entry point: @burnrate/<lib>.',
  },
  { group: ['**/libs/*', '**/libs/**'], message: 'Import libs as @burnrate/<lib>, not by path.' },
];

/** Factories live behind each lib's testing entry point, which only tests may import. */
const TESTING_ONLY = {
  group: ['@burnrate/*/testing'],
  message: 'The testing entry point is for tests only.',
};

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      'node_modules/**',
      'dashboards/**',
      'rules/**',
      '.data/**',
      'scripts/**',
      'bench/**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver': { node: true } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [...LIB_IMPORT_PATTERNS, TESTING_ONLY],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts', 'bench/**/*.ts', 'libs/*/src/testing/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: LIB_IMPORT_PATTERNS }],
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      // HTTP answers are read as JSON and checked field by field.
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // The pure core: plain data in, plain data out. No framework, no IO, no network, no clock
    // (callers pass `now`), so it is tested with tables and golden files.
    files: PURE_LIBS.map((lib) => `libs/${lib}/src/**/*.ts`),
    ignores: ['**/*.spec.ts', '**/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...LIB_IMPORT_PATTERNS,
            {
              group: ['@nestjs/*', 'typeorm', 'pg', '@electric-sql/*'],
              message: 'A pure lib uses no framework or database: put the effect in an adapter.',
            },
            {
              group: [
                'node:fs',
                'node:fs/*',
                'fs',
                'fs/*',
                'node:http',
                'node:https',
                'http',
                'https',
                'node:net',
                'node:child_process',
              ],
              message:
                'A pure lib does no IO: take the data as an argument, or put the effect in an adapter.',
            },
            {
              group: [
                '@burnrate/persistence',
                '@burnrate/publish',
                '@burnrate/status',
                '@burnrate/telemetry',
              ],
              message: 'A pure lib depends only on pure libs.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'A pure lib does no network IO: take a FetchLike in an adapter.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'A pure lib reads no clock: take `now` as an argument.',
        },
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'A pure lib reads no clock: take `now` as an argument.',
        },
        {
          selector: "CallExpression[callee.object.name='performance'][callee.property.name='now']",
          message: 'A pure lib reads no clock.',
        },
      ],
    },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
);
