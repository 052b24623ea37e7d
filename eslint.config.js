// Lint: typescript-eslint's recommended rules, without type information so it stays fast
// enough to run on every CI pass. Layering (cycles, who may import whom) is checked by
// dependency-cruiser (.dependency-cruiser.cjs); formatting by Prettier.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Node 20's recursive mkdir never returns on some paths (DATA_DIR=/proc/nope spun for ever, no
// output): src/, scripts/ and bench/ make folders one level at a time with
// src/platform/make-folder.ts, which fails at once.
const boundedFolderMaking = {
  selector:
    "CallExpression:matches([callee.name=/^mkdir(Sync)?$/], [callee.property.name=/^mkdir(Sync)?$/]) > ObjectExpression > Property[key.name='recursive']",
  message:
    'Make folders with makeFolder / makeFolderSync (src/platform/make-folder.ts): a recursive mkdir can spin for ever.',
};

export default tseslint.config(
  {
    ignores: [
      'src/generated/**',
      'web/dist/**',
      'web/src/gql/**',
      'node_modules/**',
      'data/**',
      'data-exchange/**',
      'bench/out/**',
      'dist/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', module: 'writable', require: 'readonly' } },
  },
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      'no-console': 'off',
      // Matching control characters is the point of the input-hygiene and purpose checks.
      'no-control-regex': 'off',
    },
  },
  {
    // A pool opened elsewhere would hand out connections nobody listens on until their borrower
    // does: an 'error' in between (a backend terminated as soon as it was ready) ends the process.
    files: ['src/**/*.ts'],
    ignores: ['src/platform/store/postgres-pool.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "NewExpression[callee.object.name='pg'][callee.property.name='Pool'], NewExpression[callee.name='Pool']",
          message: 'Open PostgreSQL pools with openPostgresPool (src/platform/store/postgres-pool.ts).',
        },
        {
          selector: "NewExpression[callee.name='PrismaPg']:not([arguments.0.type='Identifier'])",
          message: 'Give PrismaPg a pool from openPostgresPool, not a config it would open a pool of its own with.',
        },
        boundedFolderMaking,
      ],
    },
  },
  {
    // The gateway speaks through its logger (JSON lines a collector parses); a line written beside
    // it, as the store's start waits were, is lost to the collector. The exceptions write where no
    // logger is: before it exists, after a failed start, and while a stuck shutdown is cut short.
    files: ['src/**/*.ts'],
    ignores: ['src/main.ts', 'src/exit-on-signals.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...['stdout', 'stderr'].map((property) => ({
          object: 'process',
          property,
          message: `Log through the gateway logger (pass a logger or a callback in), not process.${property}.`,
        })),
      ],
    },
  },
  {
    files: ['src/platform/store/postgres-pool.ts', 'scripts/**', 'bench/**'],
    rules: { 'no-restricted-syntax': ['error', boundedFolderMaking] },
  },
);
