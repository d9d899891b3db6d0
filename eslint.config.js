const fs = require('node:fs');
const path = require('node:path');
const lwcConfig = require('@salesforce/eslint-config-lwc');
const importPlugin = require('eslint-plugin-import');
const jestPlugin = require('eslint-plugin-jest');
const lwcPlatformPlugin = require('@lwc/eslint-plugin-lwc-platform');
const regexpPlugin = require('eslint-plugin-regexp');
const securityPlugin = require('eslint-plugin-security');
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
      // emitted from scripts/calendar and scripts/sla by the build; the sources are linted as TypeScript
      'force-app/main/default/lwc/businessCalendar/businessCalendar.js',
      'force-app/main/default/lwc/slaClock/slaClock.js'
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
  ...boundaries(),
  ...oneDataLayer(),
  ...securityLint(),
  // Plain Node config files
  {
    files: ['*.js', 'config/**/*.js', 'scripts/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } }
  }
];

/**
 * The layers of scripts/ and the way their arrows point (docs/architecture.md draws them), checked
 * with eslint-plugin-import: `import/no-restricted-paths` for who may import whom, and
 * `import/no-cycle` so that no module reaches itself again through its imports.
 *
 *   cli ──▶ everything      the only layer that prints, exits, and starts the local org
 *   sla, reports, seed, preview, org, validate, build
 *       ──▶ each other and the layers below; never cli (they return data and throw typed errors),
 *           never localorg (they reach a local org over HTTP, as a real org)
 *   localorg ──▶ metadata, project.ts, calendar
 *   metadata ──▶ project.ts
 *   calendar, project.ts ──▶ nothing of ours
 *   sla/clock*.ts ──▶ calendar (and each other);  sla/sync*.ts ──▶ sla, calendar, org
 *
 * Tests (`__tests__`, scripts/testing) and benchmarks (scripts/bench) may wire layers together and
 * start a local org in-process with scripts/localorg/testing.ts, its one entry point for them; only
 * the local org's own tests reach inside it. import/no-cycle skips `import type` (erased at build)
 * and test files; scripts/__tests__/boundaries.test.ts walks every import, those included.
 */
function boundaries() {
  const ROOT = __dirname;
  const TS = ['scripts/**/*.ts', 'e2e/**/*.ts'];
  const TESTS = ['scripts/**/__tests__/**/*.ts', 'scripts/testing/**/*.ts', 'scripts/bench/**/*.ts', 'e2e/**/*.ts'];
  /** Every entry of scripts/ (a folder, or project.ts) but the given layers: new folders are covered unasked. */
  const layersBut = (...excluded) =>
    fs
      .readdirSync(path.join(ROOT, 'scripts'))
      .filter((name) => !excluded.includes(name.replace(/\.ts$/, '')))
      .map((name) => `scripts/${name}`);
  /** A zone: files in `target` import, of scripts/, only the `allowed` paths (relative to scripts/). */
  const importsOnly = (target, allowed, message) => ({ target, from: 'scripts', except: allowed.map((p) => `./${p}`), message });
  const clockRules = fs.readdirSync(path.join(ROOT, 'scripts/sla')).filter((name) => /^clock.*\.ts$/.test(name));
  const NO_CLI = {
    target: [...layersBut('cli'), 'e2e'],
    from: 'scripts/cli',
    message: 'Only scripts/cli imports scripts/cli: return data and throw typed errors, and let the command print them.'
  };
  const restrictedPaths = (zones) => ['error', { basePath: ROOT, zones }];

  return [
    {
      files: TS,
      plugins: { import: importPlugin },
      settings: {
        'import/parsers': { '@typescript-eslint/parser': ['.ts'] },
        // relative imports without extensions, no path aliases: Node's own resolution, with .ts
        'import/resolver': { node: { extensions: ['.ts', '.js', '.json'] } },
        // packages are not ours to check, and parsing them for their imports would make the lint slow
        'import/ignore': ['node_modules']
      }
    },
    {
      files: TS,
      ignores: TESTS,
      rules: {
        'import/no-cycle': ['error', { ignoreExternal: true }],
        'import/no-restricted-paths': restrictedPaths([
          NO_CLI,
          {
            target: layersBut('cli', 'localorg'),
            from: 'scripts/localorg',
            message: 'Only the CLI starts the local org; everything else reaches it over HTTP (jsforce), as a real org.'
          },
          importsOnly(['scripts/calendar'], ['calendar'], 'scripts/calendar is the date core: it imports nothing else of ours.'),
          importsOnly(
            ['scripts/http'],
            ['http'],
            "scripts/http (the servers' access gate and security headers) imports nothing else of ours: every server may import it."
          ),
          importsOnly(
            ['scripts/project.ts'],
            [],
            'scripts/project.ts (paths, API version) imports nothing of ours: every layer may import it.'
          ),
          importsOnly(
            ['scripts/metadata'],
            ['metadata', 'project.ts'],
            'scripts/metadata, the one reader of source-format metadata, imports only scripts/project.ts.'
          ),
          importsOnly(
            ['scripts/localorg'],
            ['localorg', 'metadata', 'project.ts', 'calendar'],
            'The local org imports only scripts/metadata, scripts/project.ts and scripts/calendar.'
          ),
          importsOnly(
            ['scripts/sla/clock*.ts'],
            [...clockRules.map((name) => `sla/${name}`), 'calendar'],
            'The SLA clock rules import only each other and scripts/calendar.'
          ),
          importsOnly(
            ['scripts/sla/sync*.ts'],
            ['sla', 'calendar', 'org'],
            'The SLA sync imports only scripts/sla, scripts/calendar and scripts/org.'
          )
        ])
      }
    },
    {
      files: TESTS,
      rules: {
        'import/no-restricted-paths': restrictedPaths([
          NO_CLI,
          {
            target: [...layersBut('localorg'), 'e2e'],
            from: 'scripts/localorg',
            except: ['./testing.ts'],
            message: 'Tests start a local org with scripts/localorg/testing and reach it over HTTP; only its own tests go inside.'
          }
        ])
      }
    }
  ];
}

/**
 * One org data layer (scripts/org/data; docs/architecture.md): outside scripts/org, no module builds a SOQL
 * literal by hand or pages query results itself. A value reaches SOQL only through the `soql` tag, which writes
 * it as a literal of its type (quotes and backslashes escaped once, in scripts/org/data/soql.ts), and records
 * are read with OrgData, whose one paging loop follows nextRecordsUrl (and Bulk API locators) and counts every
 * request. The local org is the other side of the API (it parses SOQL and answers pages), and tests and
 * benchmarks read the org however their assertion needs.
 */
function oneDataLayer() {
  const use = 'read and write org records through scripts/org/data (the soql tag escapes values by type; OrgData pages results)';
  return [
    {
      files: ['scripts/**/*.ts'],
      ignores: [
        'scripts/org/**',
        'scripts/localorg/**',
        'scripts/**/__tests__/**/*.ts',
        'scripts/testing/**/*.ts',
        'scripts/bench/**/*.ts'
      ],
      rules: {
        'no-restricted-syntax': [
          'error',
          {
            selector: 'Identifier[name=/^(nextRecordsUrl|queryMore|autoFetch|maxFetch|locator)$/]',
            message: `This pages query results by itself: ${use}.`
          },
          { selector: 'Literal[regex.pattern="\'"]', message: `This escapes quotes for SOQL by hand: ${use}.` },
          { selector: "Literal[value=/\\\\'/]", message: `This escapes quotes for SOQL by hand: ${use}.` },
          {
            selector:
              "TemplateLiteral:has(TemplateElement[value.raw=/\\b(SELECT|WHERE)\\s/i]) > TemplateElement[tail=false][value.raw=/'%?$/]",
            message: `This quotes a value into SOQL by hand: ${use}.`
          }
        ]
      }
    }
  ];
}

/**
 * Security lint, 0 findings (docs/contributing.md, Security lint):
 *  - eslint-plugin-security's recommended rules, as errors, on the TypeScript;
 *  - ReDoS by analysis: eslint-plugin-regexp's no-super-linear-backtracking replaces the security plugin's
 *    detect-unsafe-regex, whose star-height heuristic flags every bounded group such as the Id pattern
 *    `[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?` (29 findings, none exploitable) while the analysis finds the real ones;
 *  - @lwc/eslint-plugin-lwc-platform's recommended rules, as errors, on the components: no Aura interop, no
 *    `process`, no dynamic import by identifier, no inline rule disables.
 * Three rules read input the code does not control: an object key (detect-object-injection), a file path
 * (detect-non-literal-fs-filename) and a pattern (detect-non-literal-regexp). They stay on where a request
 * reaches them — the servers npm start runs (REQUEST_FACING) — and are off for tooling whose keys, paths and
 * patterns come from the project's own metadata, the flags a person typed or temporary folders, where each
 * `x[i]` or `fs.readFileSync(file)` would need a suppression that says only that. Tests, benchmarks and test
 * helpers build their own fixtures. A finding that is not a risk is suppressed on its line with the reason
 * (`// eslint-disable-next-line security/<rule> -- <why>`); where a real fix exists (a Map instead of an
 * object indexed with input), the code is fixed instead.
 */
function securityLint() {
  const asErrors = (rules) => Object.fromEntries(Object.keys(rules).map((rule) => [rule, 'error']));
  const TS = ['scripts/**/*.ts', 'e2e/**/*.ts'];
  const TESTS = ['scripts/**/__tests__/**/*.ts', 'scripts/testing/**/*.ts', 'scripts/bench/**/*.ts', 'e2e/**/*.ts'];
  const INPUT_RULES = ['security/detect-object-injection', 'security/detect-non-literal-fs-filename', 'security/detect-non-literal-regexp'];
  const REQUEST_FACING = ['scripts/http/**/*.ts', 'scripts/preview/server.ts', 'scripts/reports/server.ts', 'scripts/localorg/**/*.ts'];
  return [
    {
      files: TS,
      plugins: { security: securityPlugin, regexp: regexpPlugin },
      rules: {
        ...asErrors(securityPlugin.configs.recommended.rules),
        'security/detect-unsafe-regex': 'off',
        'regexp/no-super-linear-backtracking': 'error',
        ...Object.fromEntries(INPUT_RULES.map((rule) => [rule, 'off']))
      }
    },
    { files: REQUEST_FACING, ignores: TESTS, rules: asErrors(Object.fromEntries(INPUT_RULES.map((rule) => [rule, 'error']))) },
    // tests read their own fixtures and the repository's files (never a request): a benchmark loads the bench
    // modules of its own folder, the docs test parses the repository's Markdown
    { files: TESTS, rules: { 'security/detect-non-literal-require': 'off', 'regexp/no-super-linear-backtracking': 'off' } },
    ...lwcPlatformPlugin.configs.recommended.map((c) => ({
      ...c,
      files: ['force-app/**/lwc/**/*.js'],
      rules: {
        ...asErrors(c.rules),
        // not a security rule but mobile-offline readiness (Briefcase priming): it needs the org's list of
        // offline wire adapters as options and throws without them; these components are not offline-enabled
        '@lwc/lwc-platform/valid-offline-wire': 'off'
      }
    })),
    // no inline disables in components (above), so the allowed timers are allowed here: slaTimer and winLossReview
    // tick once a minute so their business-minute countdowns stay current, and slaTimer reads its clocks again
    // while a change waits for the SLA sync; both clear their intervals when disconnected
    {
      files: ['force-app/main/default/lwc/slaTimer/slaTimer.js', 'force-app/main/default/lwc/winLossReview/winLossReview.js'],
      rules: { '@lwc/lwc/no-async-operation': 'off' }
    }
  ];
}
