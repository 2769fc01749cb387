// Flat ESLint config: type-aware rules plus the import boundaries of DESIGN.md (pure core, I/O at the edges).
import tseslint from 'typescript-eslint';

const ioModules = [
  '@kubernetes/client-node', 'node:fs', 'node:fs/promises', 'fs', 'node:child_process', 'child_process',
  'pino', 'express', 'node:http', 'node:net', 'better-sqlite3',
];
const pureBoundary = {
  'no-restricted-imports': ['error', {
    paths: ioModules.map((name) => ({ name, message: 'src/engine and src/pod are pure: no I/O, clock or logger.' })),
    patterns: [{ group: ['**/controller/**', '**/embedded/**', '**/cli/**', '**/triggers/**'], message: 'the pure core may import only src/api and itself' }],
  }],
  'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'pass the clock in as a parameter' }],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/**', 'scripts/**', 'bin/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'max-lines': ['warn', { max: 500, skipBlankLines: true, skipComments: true }],
    },
  },
  { files: ['src/engine/**/*.ts', 'src/pod/**/*.ts'], ignores: ['**/*.test.ts'], rules: pureBoundary },
  {
    files: ['src/controller/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['**/triggers/**', '**/cli/**', '**/embedded/**'] }] },
  },
);
