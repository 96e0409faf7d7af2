// Layering (DESIGN.md): each layer may import only from the layers below it.
// shared <- main/core <- main/hosts <- main/cli, main/electron; preload and renderer see shared only.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'os',
  'http',
  'https',
  'net',
  'child_process',
  'crypto',
  'stream',
  'zlib',
  'url',
  'util',
];

const layer = (files, patterns, message) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
  },
});

export default tseslint.config(
  {
    // .cache holds downloaded tools (Omniboard, Node 22 and its better-sqlite3 build); reports and
    // .stryker-tmp are mutation-testing output: none of it is ours to lint.
    ignores: [
      'node_modules',
      'dist',
      'release',
      'coverage',
      'test-results',
      'playwright-report',
      '.cache',
      'reports',
      '.stryker-tmp',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['build/**/*.mjs', 'tests/**/*.mjs', '*.config.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    // The `altar-viewer` command is CommonJS (bin/altar-viewer.cjs says why), and so is the
    // node22 run's preload (--require reaches worker threads, --import does not).
    files: ['bin/**/*.cjs', 'tests/node22/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        process: 'readonly',
        console: 'readonly',
        require: 'readonly',
        __dirname: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  layer(
    ['shared/**'],
    [
      '**/main/**',
      '**/renderer/**',
      '**/preload/**',
      '**/tests/**',
      'electron',
      'react',
      ...nodeBuiltins,
    ],
    'shared/ is the pure contract and domain layer: no Node, DOM, Electron or app imports.',
  ),
  layer(
    ['main/core/**'],
    [
      'electron',
      '**/hosts/**',
      '**/electron/**',
      '**/cli/**',
      '**/renderer/**',
      '**/preload/**',
      '**/tests/**',
    ],
    'main/core is plain Node: it may import only shared/ and itself.',
  ),
  layer(
    ['main/hosts/**'],
    ['electron', '**/electron/**', '**/cli/**', '**/renderer/**', '**/preload/**', '**/tests/**'],
    'main/hosts may import only core and shared; Electron objects are passed in.',
  ),
  layer(
    ['main/cli/**'],
    ['electron', '**/electron/**', '**/renderer/**', '**/preload/**', '**/tests/**'],
    'the CLI runs without Electron.',
  ),
  layer(
    ['main/electron/**'],
    ['**/cli/**', '**/renderer/**', '**/preload/**', '**/tests/**'],
    'main/electron wires core and hosts into Electron.',
  ),
  layer(
    ['preload/**'],
    ['**/main/**', '**/renderer/**', '**/tests/**', ...nodeBuiltins],
    'preload sees only electron and shared/.',
  ),
  layer(
    ['renderer/src/**'],
    ['**/main/**', '**/preload/**', '**/tests/**', 'electron', ...nodeBuiltins],
    'the renderer talks to one api object and never to main or Node.',
  ),
);
