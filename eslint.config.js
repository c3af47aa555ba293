// Lint rules. The boundary rule for src/ is the one that matters most: the core must run unchanged
// in a browser tab and in Node, and the real engine must plug in through ports, never by import.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const coreBoundary =
  'src/ is the isomorphic core: it runs in the browser and in Node, so it must not import node:* ' +
  '(no Node in a browser), engine/ (real adapters plug in through ports and machine.provide()) ' +
  'or site/ (views depend on the core, never the reverse). See DESIGN.md, "Boundaries".';

export default tseslint.config(
  // engine/shim/proto/gen is written by protoc-gen-es (npm run gen:proto), not by hand.
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      // Builds the browser suite and the site bench make (.gitignore's dist-e2e*/, dist-bench/, dist-floor/).
      'dist-*/**',
      'test-results/**',
      'coverage/**',
      'test/**/__snapshots__/**',
      'test/fixtures/**',
      'engine/shim/proto/gen/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'max-lines': ['warn', { max: 400, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': ['warn', { max: 60, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: coreBoundary },
            { group: ['**/engine', '**/engine/**'], message: coreBoundary },
            { group: ['**/site', '**/site/**'], message: coreBoundary },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'src/ runs in the browser: no process global. ' + coreBoundary },
        { name: 'Buffer', message: 'src/ runs in the browser: use Uint8Array. ' + coreBoundary },
        { name: 'setTimeout', message: 'src/ is deterministic: use the virtual clock port.' },
        { name: 'setInterval', message: 'src/ is deterministic: use the virtual clock port.' },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'Date',
          property: 'now',
          message: 'src/ is deterministic: use the clock port (virtual time).',
        },
        { object: 'Math', property: 'random', message: 'src/ is deterministic: use the seeded ids port.' },
      ],
    },
  },
);
