// ESLint (flat config): the recommended rules for every JavaScript file of ours:
// the web app (web/), the browser, wasm and benchmark tests (tests/e2e,
// tests/wasm, tests/bench) and the Node scripts (scripts/*.mjs). `npm run lint`
// runs it from the repository root with this file as its config, so the
// patterns below are relative to the root. Formatting is Prettier's job
// (.prettierrc at the root), not ESLint's.
import js from '@eslint/js';
import globals from 'globals';

export default [
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'build/**',
      'web/public/**',
      '.deps/**',
      'wasm/**',
      'tests/unit/**',
      'tests/fuzz/**',
      'tests/conformance/**',
    ],
  },
  js.configs.recommended,
  {
    // Shared rules: unused arguments are allowed (handlers keep their signature).
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      'no-unused-vars': ['error', { args: 'none', caughtErrors: 'none' }],
    },
  },
  {
    // The app: browser code, bundled by Vite (import.meta.env).
    files: ['web/src/**/*.js', 'web/dev/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The parser worker and the offline service worker.
    files: ['web/src/engine/worker.js', 'web/src/offline/service_worker.js'],
    languageOptions: {
      globals: { ...globals.browser, ...globals.worker, ...globals.serviceworker },
    },
  },
  {
    // worker.js belongs to the engine's part (it changes only with the engine);
    // its load errors name their cause in the message.
    files: ['web/src/engine/worker.js'],
    rules: { 'preserve-caught-error': 'off' },
  },
  {
    // The report format is also used by scripts/export.mjs under Node (Buffer).
    files: ['web/src/report/html.js'],
    languageOptions: { globals: { ...globals.browser, Buffer: 'readonly' } },
  },
  {
    // Node: the unit tests, Vite's config and plugin, the scripts, the e2e
    // tests (whose page.evaluate callbacks run in the browser) and benchmarks.
    files: [
      'web/test/**/*.js',
      'web/tools/**/*.js',
      'web/*.js',
      'scripts/*.mjs',
      'tests/e2e/**/*.mjs',
      'tests/bench/**/*.{mjs,cjs}',
      'tests/wasm/**/*.{mjs,cjs}',
      'tests/support/**/*.{mjs,cjs}',
    ],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
];
