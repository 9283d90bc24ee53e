/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.tsx?$': ['@swc/jest'], '/node_modules/.+\\.js$': ['@swc/jest'] },
  // The docs check's Markdown parser and slugger are ESM-only; jest's module loader cannot require()
  // ESM, so those packages (and their ESM dependencies) go through the swc transform above.
  transformIgnorePatterns: [
    '/node_modules/(?!(?:mdast-util-[^/]+|micromark[^/]*|unist-util-[^/]+|github-slugger|decode-named-character-reference|character-entities|devlop|ccount|longest-streak|escape-string-regexp|markdown-table|zwitch)/)',
  ],
  snapshotSerializers: ['<rootDir>/test/support/asset-hash-serializer.js'],
  globalSetup: '<rootDir>/test/support/moto-global-setup.ts',
  globalTeardown: '<rootDir>/test/support/moto-global-teardown.ts',
  setupFilesAfterEnv: ['aws-cdk-lib/testhelpers/jest-autoclean'],
  testTimeout: 120000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
