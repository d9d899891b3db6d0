const lwcConfig = require('@salesforce/eslint-config-lwc');
const jestPlugin = require('eslint-plugin-jest');
const tseslint = require('typescript-eslint');
const globals = require('globals');

module.exports = [
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'coverage/**',
      '.localorg/**',
      '.sf/**',
      '.sfdx/**',
      'e2e/screenshots/**',
      // emitted from scripts/calendar by the build; the source is linted as TypeScript
      'force-app/main/default/lwc/businessCalendar/businessCalendar.js'
    ]
  },
  // Lightning Web Components: the Salesforce LWC rules
  ...lwcConfig.configs.recommended.map((c) => ({ ...c, files: ['force-app/**/lwc/**/*.js'] })),
  {
    files: ['force-app/**/lwc/**/__tests__/**/*.js', 'force-app/**/lwc/**/__mocks__/**/*.js'],
    plugins: { jest: jestPlugin },
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
    rules: { ...jestPlugin.configs.recommended.rules, '@lwc/lwc/no-unexpected-wire-adapter-usages': 'off' }
  },
  // TypeScript tooling
  ...tseslint.configs.recommended.map((c) => ({ ...c, files: ['scripts/**/*.ts', 'bench/**/*.ts', 'e2e/**/*.ts'] })),
  {
    files: ['scripts/**/*.ts', 'bench/**/*.ts', 'e2e/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }]
    }
  },
  // The CLI builds every command at start-up and loads each command's implementation only when it
  // runs, with a typed `lazy(() => require('…') as typeof import('…'))` (scripts/cli/lazy.ts).
  {
    files: ['scripts/cli/**/*.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' }
  },
  // Plain Node config files
  {
    files: ['*.js', 'config/**/*.js', 'scripts/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } }
  }
];
