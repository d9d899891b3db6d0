const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

/**
 * One jest run, several suites (how to run each: docs/contributing.md#the-test-suites):
 *  - lwc:  the Lightning Web Components, with the sfdx-lwc-jest preset and @sa11y/jest
 *  - node: the TypeScript tooling under scripts/ (ts-jest), incl. tests that start the local org
 *  - e2e:  browser tests in Debian's Chromium (playwright-core) against the preview and reports
 */
const nodeProject = {
  displayName: 'node',
  testEnvironment: 'node',
  rootDir: __dirname,
  roots: ['<rootDir>/scripts'],
  testMatch: ['**/__tests__/**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  moduleFileExtensions: ['ts', 'js', 'json']
};

const e2eProject = {
  displayName: 'e2e',
  testEnvironment: 'node',
  rootDir: __dirname,
  roots: ['<rootDir>/e2e'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  moduleFileExtensions: ['ts', 'js', 'json']
};

module.exports = {
  reporters: ['default', '<rootDir>/config/jest/summaryReporter.js'],
  testTimeout: 30000,
  projects: [
    {
      ...jestConfig,
      displayName: 'lwc',
      roots: ['<rootDir>/force-app'],
      testMatch: ['**/__tests__/**/*.test.js'],
      setupFilesAfterEnv: [...(jestConfig.setupFilesAfterEnv || []), '<rootDir>/config/jest/sa11ySetup.js'],
      modulePathIgnorePatterns: ['<rootDir>/.localorg']
    },
    nodeProject,
    e2eProject
  ]
};
